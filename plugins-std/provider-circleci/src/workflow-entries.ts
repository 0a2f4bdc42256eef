import { compareStrings, type Json, type JsonMap, orderKeys } from "@cig/sdk";
import { FILTER_KEY_ORDER, INVOCATION_KEY_ORDER } from "./key-order.js";
import type { RenderedVariant } from "./render-job.js";

/** One variant of the graph with its rendering. */
export interface Variant {
  /** "test-ruby3.2-amd64". */
  id: string;
  jobId: string;
  matrix: Readonly<Record<string, string>>;
  needs: string[];
  skippable: boolean;
  rendered: RenderedVariant;
}

/**
 * The cig.toml jobs in dependency order, ties broken by id (code units): the
 * graph's topological order is one of many, and the file should not change
 * when the core picks another.
 */
export function stableOrder(byJob: ReadonlyMap<string, Variant[]>): string[] {
  const jobOf = new Map([...byJob].flatMap(([jobId, vs]) => vs.map((v): [string, string] => [v.id, jobId])));
  const pending = new Map([...byJob].map(([jobId, vs]) => [jobId, new Set(vs.flatMap((v) => v.needs.map((n) => jobOf.get(n) ?? n)))]));
  for (const [jobId, deps] of pending) deps.delete(jobId);
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => !pending.has(d))).map(([id]) => id);
    // A cycle cannot reach generate (the core rejects it); should one, keep the rest in id order.
    const next = (ready.length > 0 ? ready : [...pending.keys()]).sort(compareStrings)[0] as string;
    order.push(next);
    pending.delete(next);
  }
  return order;
}

/** The workflow entry of variant `v` of definition `key`: `- key` or `- key: { name, <axis values>, requires, context, filters, … }`. */
export function workflowEntry(key: string, v: Variant, declaredAxes: readonly string[], tagsAllowed: JsonMap | undefined): Json {
  const entry: JsonMap = {};
  if (key !== v.id) entry.name = v.id;
  const axes = [
    ...declaredAxes.filter((a) => a in v.matrix),
    ...Object.keys(v.matrix)
      .filter((a) => !declaredAxes.includes(a))
      .sort(),
  ];
  for (const axis of axes) entry[axis] = v.matrix[axis] as string;
  const { condition, entry: extra } = v.rendered;
  const status = condition.requireStatus;
  if (v.needs.length > 0) entry.requires = v.needs.map((n): Json => (status ? { [n]: status } : n));
  const filters = condition.filters ?? (tagsAllowed ? { tags: tagsAllowed } : undefined);
  if (filters) entry.filters = orderKeys(filters, FILTER_KEY_ORDER);
  // The job's circleci table (context, filters, …) wins over what cig derived.
  Object.assign(entry, extra);
  const ordered = orderKeys(entry, [...INVOCATION_KEY_ORDER.slice(0, 1), ...axes, ...INVOCATION_KEY_ORDER.slice(1)]);
  return Object.keys(ordered).length === 0 ? key : { [key]: ordered };
}
