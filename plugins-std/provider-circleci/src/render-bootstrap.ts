import { type Json, type JsonMap, orderKeys, setIf, sortedStrings } from "@cig/sdk";
import { CACHE_KEY_ORDER, CONFIG_KEY_ORDER, JOB_KEY_ORDER, RUN_KEY_ORDER } from "./key-order.js";
import { providerRun } from "./provider-steps.js";
import { primaryImage } from "./setup-tools.js";
import {
  BOOTSTRAP_JOB,
  CONTINUE_PATH,
  FORCE_PARAMETER,
  forceParameters,
  passCacheKey,
  SIGS_DIR,
  type SkipSettings,
  shellWord,
} from "./skip-settings.js";

/** The continuation orb, pinned to its major version (docs/providers/circleci.md, "Skipping unchanged jobs"). */
export const CONTINUATION_ORB = "circleci/continuation@1";

/** The workflow of the setup config. */
export const SETUP_WORKFLOW = "setup";

// Step environment that carries the pipeline parameter into the shell, where it is checked before use.
const PARAMETER_VAR = "CIG_FORCE_PARAMETER";

/** What the workflow of the full config would have: its trigger `when`, and the tag filter entries need. */
export interface BootstrapTriggers {
  when: Json | undefined;
  tagsAllowed: JsonMap | undefined;
}

/**
 * The committed config when some variant is skippable: a setup config
 * (`setup: true`) whose one job computes the signatures, restores each
 * skippable variant's pass marker from the CircleCI cache into the local
 * pass store (the key checksums the variant's signature file, so a marker
 * exists only for the exact signature), renders the run-time config with
 * `compute-signatures --render circleci`, and continues the pipeline with it.
 *
 * @param skippable the variant ids to look passes up for, in workflow order
 * @param env the workflow-wide env, which every job sees: skip_if.env
 *   variables and the force variable set there must reach the decision too
 */
export function renderBootstrap(
  skippable: readonly string[],
  settings: SkipSettings,
  triggers: BootstrapTriggers,
  env: Readonly<Record<string, string>> = {},
): JsonMap {
  const cig = (args: string) => `${settings.command} compute-signatures ${args}`;
  const render = providerRun("Render the pipeline of the jobs that run", [
    `if [ -n "$${PARAMETER_VAR}" ]; then export ${settings.forceEnv}="$${PARAMETER_VAR}"; fi`,
    `${cig("--render circleci")} > ${shellWord(CONTINUE_PATH)}`,
  ]);
  const renderRun = render.run as JsonMap;
  renderRun.environment = { [PARAMETER_VAR]: `<< pipeline.parameters.${FORCE_PARAMETER} >>` };
  const steps: Json[] = [
    "checkout",
    providerRun("Compute work signatures", [cig(`--signature-files ${SIGS_DIR}`)]),
    ...skippable.map(
      (id): Json => ({ restore_cache: orderKeys({ name: `Look up a pass of ${id}`, keys: [passCacheKey(id)] }, CACHE_KEY_ORDER) }),
    ),
    { run: orderKeys(renderRun, RUN_KEY_ORDER) },
    { "continuation/continue": { configuration_path: CONTINUE_PATH } },
  ];
  const job: JsonMap = { docker: [{ image: nodeImage() }] };
  if (settings.resourceClass !== undefined) job.resource_class = settings.resourceClass;
  setIf(job, "environment", sortedStrings(env));
  job.steps = steps;

  const workflow: JsonMap = {};
  if (triggers.when !== undefined) workflow.when = triggers.when;
  // Tag pipelines reach a job only through its own tag filter.
  workflow.jobs = [triggers.tagsAllowed ? { [BOOTSTRAP_JOB]: { filters: { tags: triggers.tagsAllowed } } } : BOOTSTRAP_JOB];
  return orderKeys(
    {
      version: 2.1,
      setup: true,
      orbs: { continuation: CONTINUATION_ORB },
      parameters: forceParameters(settings),
      jobs: { [BOOTSTRAP_JOB]: orderKeys(job, JOB_KEY_ORDER) },
      workflows: { [SETUP_WORKFLOW]: workflow },
    },
    CONFIG_KEY_ORDER,
  );
}

// cimg/node at the LTS tag of the image table: cig runs on Node.js, and cimg images carry the curl and jq the orb calls.
function nodeImage(): string {
  return primaryImage([{ tool: "node", version: "" }]).image;
}
