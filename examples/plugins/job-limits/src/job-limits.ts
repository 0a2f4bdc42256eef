import { readFileSync } from "node:fs";
import { type CigSchema, Diagnostic_Level, type DiagnosticSchema } from "@cig/proto";
import { definePlugin, type Reply, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";

/** More combinations than this in one matrix is a warning: each one is a runner billed separately. */
export const MAX_COMBINATIONS = 12;

/**
 * The version in module.toml beside the plugin: one place to bump before
 * `cig publish`. A regex, not a TOML parser: the bundle stays small.
 */
function manifestVersion(): string {
  const text = readFileSync(new URL("../module.toml", import.meta.url), "utf8");
  const m = /^version\s*=\s*"([^"]+)"/m.exec(text);
  if (!m?.[1]) throw new Error("module.toml has no version");
  return m[1];
}

type Finding = Reply<typeof DiagnosticSchema>;

/** The cost rules, pure: what validate reports for a cig.toml. */
export function findings(schema: CigSchema | undefined): Finding[] {
  const out: Finding[] = [];
  for (const job of schema?.jobs ?? []) {
    const loc = job.loc ? { path: job.loc.path, line: job.loc.line, column: job.loc.column } : undefined;
    if (job.timeoutMinutes === 0) {
      out.push({
        level: Diagnostic_Level.WARNING,
        code: "LIMITS_NO_TIMEOUT",
        title: `job ${job.id} has no timeout`,
        message: `A hung run of ${job.id} is billed until the platform's own limit (6 hours on GitHub Actions).`,
        fixHint: "Set `timeout = <minutes>` on the job.",
        ...(loc ? { loc } : {}),
      });
    }
    const combinations = (job.matrix?.axes ?? []).reduce((n, axis) => n * Math.max(1, axis.values.length), 1);
    if (combinations > MAX_COMBINATIONS) {
      out.push({
        level: Diagnostic_Level.WARNING,
        code: "LIMITS_MATRIX_LARGE",
        title: `job ${job.id} has a matrix of ${combinations} combinations`,
        message: `More than ${MAX_COMBINATIONS} runners start for every push.`,
        fixHint: "Drop an axis value, or `exclude` the combinations nobody needs.",
        ...(loc ? { loc } : {}),
      });
    }
  }
  return out;
}

/** example/job-limits: a validate-only policy plugin. */
export const jobLimits = definePlugin({
  info: {
    name: "example/job-limits",
    version: manifestVersion(),
    description: "Warns about jobs without a timeout and very large matrices",
    capabilities: ["policy:cost"],
    // It reads cig.toml's jobs, not the rendered graph: the core may leave the graph out.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  validate: (req) => ({ diagnostics: findings(req.schema) }),
});
