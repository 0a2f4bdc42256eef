import { isJsonMap, type JsonMap, orderKeys, sortedMap } from "@cig/sdk";
import { TRIGGER_FILTER_KEY_ORDER, TRIGGER_KEY_ORDER } from "./key-order.js";
import { FORCE_INPUT } from "./render-signatures-job.js";

const DESCRIPTION = "Run jobs whatever their signatures: 1/true/all or job ids";
// GitHub's long-standing limit on workflow_dispatch inputs (actionlint checks it): a full trigger gets no more.
const MAX_INPUTS = 10;

/**
 * `on:` with the manual trigger offering the {@link FORCE_INPUT} input, so
 * that a run started from the Actions tab can force jobs to run without
 * editing any file (docs/providers/github.md, "Skipping unchanged jobs").
 * `forceInput` is false when the workflow has no `workflow_dispatch` (there
 * is no run to give inputs to) or its inputs are already as many as GitHub
 * allows; an input of that name the user declared is kept as written and used. Inputs stay sorted by name, as the trigger
 * renders them.
 */
export function addForceInput(on: JsonMap): { on: JsonMap; forceInput: boolean } {
  if (!("workflow_dispatch" in on)) return { on, forceInput: false };
  const dispatch = on.workflow_dispatch;
  const event: JsonMap = isJsonMap(dispatch) ? { ...dispatch } : {};
  const inputs: JsonMap = isJsonMap(event.inputs) ? event.inputs : {};
  if (FORCE_INPUT in inputs) return { on, forceInput: true };
  if (Object.keys(inputs).length >= MAX_INPUTS) return { on, forceInput: false };
  const input = { description: DESCRIPTION, type: "string", required: false };
  event.inputs = sortedMap([...Object.entries(inputs), [FORCE_INPUT, input]]);
  return { on: orderKeys({ ...on, workflow_dispatch: orderKeys(event, TRIGGER_FILTER_KEY_ORDER) }, TRIGGER_KEY_ORDER), forceInput: true };
}
