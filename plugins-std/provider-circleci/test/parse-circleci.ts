/**
 * Reads a rendered `.circleci/config.yml` back into the neutral job graph of
 * the semantic equivalence test — from the YAML text alone, without
 * provider/circleci's code, so that the test checks what the file says.
 *
 * How the file maps back (docs/providers/circleci.md):
 * - One neutral job per workflow entry (`- test: { name: …, ruby: "3.2" }`):
 *   its id is the entry's `name`, else the job key; its matrix values are
 *   the entry's keys that are not CircleCI's own (name, requires, context,
 *   filters, …); they fill `<< parameters.x >>` in the job definition.
 * - needs: the entry's `requires` (plain names, or `{ name: status }`), sorted.
 * - commands: the job definition's `run` steps in order, also inside
 *   `when`/`unless` steps. Steps provider/circleci adds itself are left out:
 *   every such run command starts with the line
 *   `# added by cig (provider/circleci)` (tool installs, gem install, cache
 *   checksum files, service port waits, the halt of a skipped job). Checkout
 *   and cache steps are not `run` steps. A command starting with the
 *   continue_on_error EXIT-trap line has that line removed.
 * - services: the images of the docker executor after the first (primary)
 *   one, sorted. (A runner table listing extra images of its own would
 *   count them too.)
 * - condition: the entry's `filters` (branches.only / tags.only → `==`
 *   joined by ||; branches.ignore → `!=` joined by &&; `/regex/` back to the
 *   glob it came from; `tags: { only: /.*\/ }` alone only lets tag pipelines
 *   in and is no condition), a `requires` status (`terminal` → always(),
 *   `failed` → failure()), or the logic of the job's first step when it is
 *   an `unless` that halts the job. `not: { equal | matches }` reads back as
 *   `!=`, so `!(branch == 'x')` comes back as `branch != 'x'`.
 *
 * Work signatures (docs/providers/circleci.md, "Skipping unchanged jobs"):
 * a run-time config (`cig compute-signatures --render circleci`) reads like
 * any other: the steps that record a pass are marked `run` steps and a
 * `save_cache`, so they are left out, and its `cig-nothing-to-run` job (when
 * every variant was skipped) is no job of the graph. The committed setup
 * config of a project with skippable jobs is the bootstrap that renders the
 * pipeline at run time; it holds none of the graph's jobs, which
 * {@link isSignatureBootstrap} tells the equivalence test.
 */
import { type Condition, formatCondition } from "@cig/sdk";
import { parse } from "yaml";
import type { NeutralGraph, NeutralJob } from "../../../golden-tests/neutral-graph.js";

const MARKER = "# added by cig (provider/circleci)";
const CONTINUE_PREFIX = /^trap '.*\(continue_on_error\).*' EXIT$/;
const ENTRY_KEYS = new Set([
  "name",
  "requires",
  "context",
  "filters",
  "type",
  "pre-steps",
  "post-steps",
  "matrix",
  "serial-group",
  "override-with",
]);
const SUBJECTS: Record<string, "branch" | "tag" | "event"> = {
  "<< pipeline.git.branch >>": "branch",
  "<< pipeline.git.tag >>": "tag",
  "<< pipeline.trigger_source >>": "event",
};
const EVENTS: Record<string, string> = { webhook: "push", scheduled_pipeline: "schedule", api: "manual" };

// The job of a run-time config in which every variant was skipped.
const NOTHING_TO_RUN = "cig-nothing-to-run";

// biome-ignore lint/suspicious/noExplicitAny: walks arbitrary YAML.
type Node = any;

/**
 * True when the rendered CircleCI config — one file's content, or any of
 * `files` — is the signature bootstrap: a setup config (`setup: true`) whose
 * job `cig-signatures` computes the signatures and continues the pipeline
 * with the run-time config. Its jobs are not the graph's, so the equivalence
 * test compares the run-time rendering instead.
 */
export function isSignatureBootstrap(files: string | Iterable<string | { content: string }> | Readonly<Record<string, string>>): boolean {
  const contents =
    typeof files === "string"
      ? [files]
      : Symbol.iterator in files
        ? [...(files as Iterable<string | { content: string }>)].map((f) => (typeof f === "string" ? f : f.content))
        : Object.values(files);
  return contents.some((content) => {
    const doc: Node = parse(content, { merge: true });
    return doc?.setup === true && typeof doc?.jobs?.["cig-signatures"] === "object";
  });
}

/** The config's jobs as neutral jobs, sorted by id. */
export function parseCircleci(content: string): NeutralGraph {
  const doc: Node = parse(content, { merge: true });
  const jobs: Node = doc?.jobs ?? {};
  const out: NeutralJob[] = [];
  for (const workflow of Object.values<Node>(doc?.workflows ?? {})) {
    if (typeof workflow !== "object" || !Array.isArray(workflow?.jobs)) continue;
    for (const entry of workflow.jobs) {
      const key: string = typeof entry === "string" ? entry : (Object.keys(entry)[0] ?? "");
      // Only as the provider writes it: the workflow's one job, with no command of the graph.
      if (key === NOTHING_TO_RUN && workflow.jobs.length === 1 && commandsOf(asList(jobs[key]?.steps)).length === 0) continue;
      const body: Node = typeof entry === "string" ? {} : (entry[key] ?? {});
      const definition: Node = jobs[key] ?? {};
      const matrix: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) if (!ENTRY_KEYS.has(k)) matrix[k] = String(v);
      const bind = (text: string) => text.replace(/<<\s*parameters\.([A-Za-z0-9_-]+)\s*>>/g, (whole, p: string) => matrix[p] ?? whole);
      const requires: Node[] = Array.isArray(body.requires) ? body.requires : [];
      const docker: Node[] = Array.isArray(definition.docker) ? definition.docker : [];
      const steps: Node[] = Array.isArray(definition.steps) ? definition.steps : [];
      out.push({
        id: String(body.name ?? key),
        needs: requires.map((r): string => (typeof r === "string" ? r : (Object.keys(r)[0] ?? ""))).sort(byCodeUnit),
        commands: commandsOf(steps).map(bind),
        matrix,
        services: docker
          .slice(1)
          .map((c) => bind(String(c.image)))
          .sort(byCodeUnit),
        condition: conditionOf(body, requires, steps),
      });
    }
  }
  return out.sort((a, b) => byCodeUnit(a.id, b.id));
}

function commandsOf(steps: Node[]): string[] {
  const out: string[] = [];
  for (const step of steps) {
    if (typeof step !== "object" || step === null) continue;
    if (step.when) out.push(...commandsOf(asList(step.when.steps)));
    else if (step.unless) out.push(...commandsOf(asList(step.unless.steps)));
    else if (step.run !== undefined) {
      const command = String(typeof step.run === "string" ? step.run : step.run.command);
      const lines = command.split("\n");
      if (lines[0] === MARKER) continue;
      out.push(CONTINUE_PREFIX.test(lines[0] ?? "") ? lines.slice(1).join("\n") : command);
    }
  }
  return out;
}

function conditionOf(body: Node, requires: Node[], steps: Node[]): string {
  const statuses = requires.filter((r) => typeof r === "object").map((r) => Object.values(r)[0]);
  if (statuses.length > 0 && statuses.every((s) => s === "terminal")) return "always()";
  if (statuses.length === 1 && statuses[0] === "failed") return "failure()";
  const halt = steps[0]?.unless;
  if (halt && commandsOf(asList(halt.steps)).length === 0 && JSON.stringify(halt.steps).includes("circleci-agent step halt")) {
    return formatCondition(fromLogic(halt.condition));
  }
  const filters = body.filters;
  if (!filters) return "";
  const only = (f: Node) => asList(f?.only).map(String);
  const q = (v: string) => `'${(v.startsWith("/") ? regexToGlob(v.slice(1, -1)) : v).replace(/'/g, "''")}'`;
  const ignored = asList(filters.branches?.ignore).map(String);
  if (ignored.length > 0 && !(ignored.length === 1 && ignored[0] === "/.*/")) return ignored.map((v) => `branch != ${q(v)}`).join(" && ");
  const tags = only(filters.tags);
  const branches = only(filters.branches);
  if (branches.length === 0 && tags.length === 1 && tags[0] === "/.*/" && ignored.length === 0) return "";
  return [...branches.map((v) => `branch == ${q(v)}`), ...tags.map((v) => `tag == ${q(v)}`)].join(" || ");
}

// A CircleCI logic statement back as the portable condition it was made from.
function fromLogic(logic: Node): Condition {
  const [op] = Object.keys(logic);
  const arg = logic[op as string];
  const fold = (kind: "and" | "or") =>
    (arg as Node[]).map(fromLogic).reduce((left: Condition, right: Condition): Condition => ({ kind, left, right }));
  switch (op) {
    case "and":
    case "or":
      return fold(op);
    case "not": {
      const inner = fromLogic(arg);
      return inner.kind === "compare" && inner.op === "==" ? { ...inner, op: "!=" } : { kind: "not", operand: inner };
    }
    case "equal": {
      const [value, source] = arg as [string, string];
      const subject = SUBJECTS[source] ?? "branch";
      return { kind: "compare", subject, op: "==", value: subject === "event" ? (EVENTS[value] ?? value) : String(value) };
    }
    case "matches":
      return { kind: "compare", subject: SUBJECTS[arg.value] ?? "branch", op: "==", value: regexToGlob(arg.pattern) };
    default:
      throw new Error(`unexpected logic ${JSON.stringify(logic)}`);
  }
}

// ^release/[^/]*$ → release/*; ^v.*$ → v**; escaped characters unescaped.
function regexToGlob(regex: string): string {
  const body = regex.replace(/^\^/, "").replace(/\$$/, "");
  return body.replace(/\.\*|\[\^\/\]\*|\\(.)/g, (s, escaped?: string) => (escaped !== undefined ? escaped : s === ".*" ? "**" : "*"));
}

function asList(value: Node): Node[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
