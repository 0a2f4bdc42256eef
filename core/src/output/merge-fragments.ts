import { create } from "@bufbuild/protobuf";
import { type Diagnostic, Diagnostic_Level, DiagnosticSchema, type Fragment, Fragment_Format, MergeStrategy } from "@cig/proto";
import { parseDocument, stringify } from "yaml";

/** One output file after merging every plugin's fragments for its path. */
export interface MergedFile {
  path: string;
  content: string;
  format: Fragment_Format;
  /** Plugins that contributed, in merge order. */
  owners: string[];
}

const byOrder = (a: Fragment, b: Fragment) => a.order - b.order || cmp(a.owner, b.owner) || cmp(a.content, b.content);

/**
 * Merges fragments per path, independently of the order plugins answered in:
 * one REPLACE fragment is the base (two are an error naming both owners),
 * MERGE fragments are deep-merged into it (YAML/JSON maps; lists concatenate),
 * APPEND fragments are concatenated after it by `order`, then owner.
 */
export function mergeFragments(fragments: readonly Fragment[]): { files: MergedFile[]; diagnostics: Diagnostic[] } {
  const byPath = new Map<string, Fragment[]>();
  for (const f of fragments) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const files: MergedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of [...byPath.keys()].sort(cmp)) {
    const parts = byPath.get(path) ?? [];
    const replace = parts.filter((f) => f.strategy === MergeStrategy.REPLACE || f.strategy === MergeStrategy.UNSPECIFIED).sort(byOrder);
    if (replace.length > 1) {
      const owners = [...new Set(replace.map((f) => f.owner))].sort(cmp);
      diagnostics.push(
        create(DiagnosticSchema, {
          level: Diagnostic_Level.ERROR,
          code: "CIG_OUTPUT_CONFLICT",
          title: `${path} is claimed by more than one plugin`,
          message: `${owners.join(" and ")} each want to own ${path} (REPLACE)`,
          fixHint: "Give each provider its own [[outputs]] path, or remove one of the plugins.",
          loc: { path: "cig.toml" },
        }),
      );
      continue;
    }
    const base = replace[0];
    const format = base?.format ?? parts[0]?.format ?? Fragment_Format.TEXT;
    let content = base?.content ?? "";
    const merges = parts.filter((f) => f.strategy === MergeStrategy.MERGE).sort(byOrder);
    if (merges.length > 0) content = deepMergeDocuments(content, merges, format);
    for (const f of parts.filter((p) => p.strategy === MergeStrategy.APPEND).sort(byOrder)) {
      content += content === "" || content.endsWith("\n") ? f.content : `\n${f.content}`;
    }
    const owners = [...(base ? [base] : []), ...merges, ...parts.filter((p) => p.strategy === MergeStrategy.APPEND).sort(byOrder)].map(
      (f) => f.owner,
    );
    files.push({ path, content, format, owners: [...new Set(owners)] });
  }
  return { files, diagnostics };
}

function deepMergeDocuments(base: string, merges: Fragment[], format: Fragment_Format): string {
  const parse = (text: string): unknown =>
    text.trim() === "" ? {} : format === Fragment_Format.JSON ? JSON.parse(text) : parseDocument(text).toJS();
  let doc = parse(base);
  for (const m of merges) doc = deepMerge(doc, parse(m.content));
  return format === Fragment_Format.JSON ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 });
}

/** Maps merge key by key (later wins for scalars); lists concatenate. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (isMap(a) && isMap(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return b;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
