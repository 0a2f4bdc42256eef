import type { Resource } from "@cig/proto";
import { isJsonMap, type JsonMap } from "@cig/sdk";

// Workflow text this process rendered → its `uses:` references, newest last.
// The validate hook then skips re-parsing a file it wrote itself (~0.5 s for
// a 1 MB workflow). Keyed by the full text, so a file another plugin merged
// into is not found and gets parsed: the memo can only save work, never
// change an answer.
const rendered = new Map<string, string[]>();
const KEEP = 8;

/** Records the `uses:` references (job and step level, file order, once each) of a workflow rendered as `content`. */
export function rememberRefs(content: string, jobs: JsonMap): void {
  const refs = new Set<string>();
  for (const job of Object.values(jobs)) {
    if (!isJsonMap(job)) continue;
    if (typeof job.uses === "string") refs.add(job.uses);
    for (const step of Array.isArray(job.steps) ? job.steps : []) {
      if (isJsonMap(step) && typeof step.uses === "string") refs.add(step.uses);
    }
  }
  rendered.delete(content);
  rendered.set(content, [...refs]);
  if (rendered.size > KEEP) rendered.delete(rendered.keys().next().value as string);
}

// The graph of this process's last Generate. Validate asks the core for no
// graph (the validate-without-graph feature: at 5,000 variants the graph was
// most of the ValidateRequest) and finds the cig.toml step behind an unpinned
// reference here instead. Only locations come from it, never findings.
let lastGraph: readonly Resource[] = [];

/** Keeps the graph of the Generate call being answered, for Validate's locations. */
export function rememberGraph(graph: readonly Resource[]): void {
  lastGraph = graph;
}

/** The graph a Validate request carries, else the last Generate's (empty when there was none). */
export function graphForLocations(sent: readonly Resource[]): readonly Resource[] {
  return sent.length > 0 ? sent : lastGraph;
}

/** The references of `content` when this process rendered exactly that text; undefined otherwise. */
export function renderedRefs(content: string): string[] | undefined {
  return rendered.get(content);
}
