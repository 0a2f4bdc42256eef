import type { CigSchema } from "@cig/proto";
import { block, groovyString } from "./groovy-text.js";
import { providerTable } from "./provider-table.js";
import { renderAgent } from "./render-agent.js";
import { PROVIDER_STEP_MARKER } from "./render-services.js";

/** The name of the first stage, which computes the work signatures; no variant id can take it (ids have no spaces). */
export const SIGNATURES_STAGE = "cig signatures";

/** What the skip machinery adds to a pipeline with at least one skippable stage (docs/providers/jenkins.md, "Skipping unchanged jobs"). */
export interface SkipMachinery {
  /** Lines before `pipeline {`: the maps the signatures stage fills and the stages read. */
  preamble: string[];
  /** The `cig signatures` stage, first of all stages. */
  stage: string[];
  /** The force variable as a build parameter, so "Build with Parameters" can force a run. */
  forceParameter: { name: string; line: string };
  /** The shell command that runs cig on the agents. */
  command: string;
}

/**
 * The machinery, from the schema's `[signatures]` (the core fills its
 * defaults; a request without it, as in hand-written tests, gets `cig` and
 * `CIG_FORCE`). The signatures stage runs on the project's default runner
 * (else any agent), checks the repository out and runs
 * `<command> compute-signatures --lines`, whose lines are
 * `<id> <run|skip> <signature>`. Every user string is a single-quoted literal.
 */
export function skipMachinery(schema: CigSchema | undefined): SkipMachinery {
  const command = schema?.signatures?.command || "cig";
  const force = schema?.signatures?.forceEnv || "CIG_FORCE";
  const runner = schema?.runners.find((r) => r.name === schema.project?.defaultRunner);
  // Problems in the runner's agent keys are reported on the jobs that use it; here such keys are just left out.
  const agent = renderAgent({}, providerTable(runner?.providers, "jenkins"), undefined, {}, []);
  const parse = [
    `String lines = sh(label: 'cig compute-signatures', returnStdout: true, script: ${groovyString(`${command} compute-signatures --lines`)})`,
    ...block("for (String line : lines.split('\\n'))", [
      "String[] fields = line.trim().split(' ')",
      ...block("if (fields.size() == 3 && (fields[1] == 'run' || fields[1] == 'skip'))", [
        "cigRun[fields[0]] = fields[1]",
        "cigSig[fields[0]] = fields[2]",
      ]),
    ]),
  ];
  return {
    preamble: [
      `// cig: filled by the '${SIGNATURES_STAGE}' stage, per job variant: 'run' or 'skip', and the work signature to record after a pass`,
      // Fields, not local variables: Declarative's script splitting (for large Jenkinsfiles) rejects top-level locals.
      "@groovy.transform.Field def cigRun = [:]",
      "@groovy.transform.Field def cigSig = [:]",
      "",
    ],
    stage: block(`stage(${groovyString(SIGNATURES_STAGE)})`, [...agent, ...block("steps", ["checkout scm", ...block("script", parse)])]),
    forceParameter: {
      name: force,
      line: `string(name: ${groovyString(force)}, defaultValue: '', description: ${groovyString(FORCE_DESCRIPTION)})`,
    },
    command,
  };
}

const FORCE_DESCRIPTION = "cig: run skippable stages anyway: 1, true or all for every job, or a comma list of job or variant ids";

/**
 * The `when` condition of a skippable stage: run unless the signatures stage
 * said skip. An id the signatures stage did not report (a restart from a
 * later stage, which does not rerun it) reads null, so the stage runs.
 */
export function skipCondition(id: string): string {
  return `expression { return cigRun[${groovyString(id)}] != 'skip' }`;
}

/**
 * The `post { success { } }` lines recording a pass of a stage that ran:
 * `<command> record-pass <id> --signature "$CIG_SIG"`, the signature coming
 * from the map through the environment, never through a GString. Without a
 * signature (the signatures stage did not run) nothing is recorded. A
 * record that fails (`returnStatus`) only echoes a warning naming the stage:
 * the stage passed, and a missing pass costs one more run, never a wrong skip.
 */
export function recordPassLines(id: string, command: string): string[] {
  const sig = `cigSig[${groovyString(id)}]`;
  const script = `${command} record-pass ${shellWord(id)} --signature "$CIG_SIG"`;
  const warning = [
    groovyString(`cig: warning: could not record the pass of stage ${id} (cig record-pass exited `),
    "cigStatus",
    groovyString("); it runs again next build"),
  ].join(" + ");
  return block("script", [
    ...block(`if (${sig})`, [
      ...block(`withEnv(['CIG_SIG=' + ${sig}])`, [
        PROVIDER_STEP_MARKER,
        `int cigStatus = sh(label: 'cig record-pass', returnStatus: true, script: ${groovyString(script)})`,
        ...block("if (cigStatus != 0)", [`echo(${warning})`]),
      ]),
    ]),
  ]);
}

// A word the shell takes literally: bare when it holds only safe characters, otherwise single-quoted.
function shellWord(text: string): string {
  return /^[A-Za-z0-9._-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
