import { compareUtf8 } from "../graph/compare-utf8.js";
import type { PassManifest } from "./pass-manifest.js";
import type { RepoFile } from "./repo-state.js";
import type { SignatureComponents } from "./signature-types.js";

/** Why a variant runs, compared with its last recorded pass: the first differing component, in this order. */
export type ChangeReason = "files_changed" | "env_changed" | "upstream_changed" | "tools_changed" | "definition_changed" | "salt_changed";

/** Every input that differs from the last pass. Lists are sorted; names only, never env values. */
export interface ChangeDetails {
  files?: { added: string[]; removed: string[]; changed: string[] };
  patterns?: { added: string[]; removed: string[] };
  env?: string[];
  upstream?: string[];
  tools?: string[];
  definition?: true;
  salt?: true;
}

/**
 * Compares the components of a signature with a recorded pass manifest.
 * Returns the reason (undefined when nothing differs, e.g. a manifest of an
 * older stream format) and every difference. With a different salt every
 * env hash differs, so env values are then compared only as set/unset.
 */
export function diffComponents(now: SignatureComponents, last: PassManifest): { reason?: ChangeReason; details: ChangeDetails } {
  const was = last.components;
  const details: ChangeDetails = {};
  const files = diffFiles(now.files, was.files ?? {});
  if (files.added.length + files.removed.length + files.changed.length > 0) details.files = files;
  const patterns = diffRecords(asSet(now.patterns), asSet(was.patterns ?? []));
  if (patterns.added.length + patterns.removed.length > 0) details.patterns = { added: patterns.added, removed: patterns.removed };
  const saltChanged = now.salt !== was.salt;
  const presence = (env: Readonly<Record<string, string | null>>) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "unset" : "set"]));
  const env = saltChanged ? diffRecords(presence(now.env), presence(was.env ?? {})) : diffRecords(now.env, was.env ?? {});
  details.env = all(env);
  details.upstream = all(diffRecords(now.upstream, was.upstream ?? {}));
  details.tools = all(diffRecords(now.tools, was.tools ?? {}));
  if (now.definition !== was.definition) details.definition = true;
  if (saltChanged) details.salt = true;
  for (const key of ["env", "upstream", "tools"] as const) if (details[key]?.length === 0) delete details[key];

  const hits: Array<[ChangeReason, unknown]> = [
    ["files_changed", details.files ?? details.patterns],
    ["env_changed", details.env],
    ["upstream_changed", details.upstream],
    ["tools_changed", details.tools],
    ["definition_changed", details.definition],
    ["salt_changed", details.salt],
  ];
  const reason = hits.find(([, hit]) => hit !== undefined)?.[0];
  return reason ? { reason, details } : { details };
}

// The files against the manifest's "path" → "mode oid" record, without building a second record
// of 50,000 entries: a job whose every file is still listed removed none.
function diffFiles(now: readonly RepoFile[], was: Readonly<Record<string, string>>) {
  const added: string[] = [];
  const changed: string[] = [];
  let kept = 0;
  for (const f of now) {
    if (!Object.hasOwn(was, f.path)) added.push(f.path);
    else {
      kept++;
      if (was[f.path] !== `${f.mode} ${f.oid}`) changed.push(f.path);
    }
  }
  const before = Object.keys(was);
  let removed: string[] = [];
  if (kept !== before.length) {
    const paths = new Set(now.map((f) => f.path));
    removed = before.filter((k) => !paths.has(k));
  }
  return { added, removed, changed };
}

function diffRecords(now: Readonly<Record<string, string | null>>, was: Readonly<Record<string, string | null>>) {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [k, v] of Object.entries(now)) {
    if (!Object.hasOwn(was, k)) added.push(k);
    else if (was[k] !== v) changed.push(k);
  }
  for (const k of Object.keys(was)) if (!Object.hasOwn(now, k)) removed.push(k);
  return { added, removed, changed };
}

function all(d: { added: string[]; removed: string[]; changed: string[] }): string[] {
  return [...d.added, ...d.removed, ...d.changed].sort(compareUtf8);
}

function asSet(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((v) => [v, ""]));
}
