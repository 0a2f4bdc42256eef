import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { CacheAction_Operation, type Step } from "@cig/proto";

/** A value on one line: strings bare, the rest as compact JSON; `{ k: v, ... }` for objects. */
export function inline(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => !(Array.isArray(v) && v.length === 0));
    return `{ ${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

const firstLine = (s: string) => {
  const lines = s.trim().split("\n");
  return lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? "");
};

/** The step's name, or the one a provider would derive from what it does. */
export function stepName(step: Step): string {
  if (step.name) return step.name;
  const a = step.action;
  switch (a.case) {
    case "run":
      return firstLine(a.value.command);
    case "uses":
      return a.value.ref;
    case "setupTool":
      return `Set up ${a.value.tool}`;
    case "cache":
      return `Cache ${a.value.name}`;
    case "checkout":
      return "Checkout";
    default:
      return "(step)";
  }
}

/** What the step does, on one line: `run: npm test`, `uses: actions/cache@v4 with { … }`, … */
export function describeStep(step: Step): string {
  const a = step.action;
  let what: string;
  switch (a.case) {
    case "run":
      what = `run: ${firstLine(a.value.command)}${a.value.shell ? ` (shell ${a.value.shell})` : ""}`;
      break;
    case "uses": {
      const w = Object.fromEntries(Object.entries(a.value.with).map(([k, v]) => [k, toJson(ValueSchema, v)]));
      what = `uses: ${a.value.ref}${Object.keys(w).length > 0 ? ` with ${inline(w)}` : ""}`;
      break;
    }
    case "setupTool":
      what = `set up ${a.value.tool}${a.value.version ? ` ${a.value.version}` : ""}${a.value.cache ? ` (cache: ${a.value.cache})` : ""}`;
      break;
    case "cache":
      what = `cache ${a.value.name} (${(CacheAction_Operation[a.value.operation] ?? "").toLowerCase().replaceAll("_", " ")})`;
      break;
    case "checkout":
      what = `checkout${a.value.fetchDepth ? ` (depth ${a.value.fetchDepth})` : ""}${a.value.submodules ? " with submodules" : ""}`;
      break;
    default:
      what = "no action";
  }
  const extra = [
    step.id ? `id ${step.id}` : "",
    step.condition ? `if ${step.condition}` : "",
    Object.keys(step.env).length > 0 ? `env ${inline(step.env)}` : "",
    step.workingDirectory ? `in ${step.workingDirectory}` : "",
    step.timeoutMinutes ? `timeout ${step.timeoutMinutes} min` : "",
    step.continueOnError ? "continue on error" : "",
  ].filter(Boolean);
  return extra.length > 0 ? `${what}; ${extra.join("; ")}` : what;
}
