import { type Diagnostic, Diagnostic_Level, type Fragment, MergeStrategy, Resource_Kind } from "@cig/proto";

const CODE = /^[A-Z][A-Z0-9_]*$/;

/** Problems with a plugin's diagnostics, as sentences; empty when all are well formed. */
export function diagnosticProblems(diags: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  diags.forEach((d, i) => {
    const at = `diagnostics[${i}]`;
    if (d.level === Diagnostic_Level.UNSPECIFIED || !(d.level in Diagnostic_Level)) out.push(`${at}: level is unset or unknown`);
    if (!CODE.test(d.code)) out.push(`${at}: code ${JSON.stringify(d.code)} is not UPPER_SNAKE_CASE`);
    if (d.title.trim() === "") out.push(`${at}: title is empty`);
    if (d.plugin !== "") out.push(`${at}: plugin is set (the core fills it in)`);
    if (d.loc && d.loc.path !== "" && (d.loc.path.startsWith("/") || d.loc.path.split("/").includes(".."))) {
      out.push(`${at}: loc.path ${JSON.stringify(d.loc.path)} is not repo-relative`);
    }
  });
  return out;
}

/** Problems with generated fragments. */
export function fragmentProblems(fragments: readonly Fragment[]): string[] {
  const out: string[] = [];
  fragments.forEach((f, i) => {
    const at = `fragments[${i}]`;
    if (f.path === "" || f.path.startsWith("/") || f.path.includes("\\") || f.path.split("/").includes("..")) {
      out.push(`${at}: path ${JSON.stringify(f.path)} must be repo-relative with "/" and no ".."`);
    }
    if (f.strategy === MergeStrategy.UNSPECIFIED) out.push(`${at}: strategy is unset`);
    if (f.owner !== "") out.push(`${at}: owner is set (the core fills it in)`);
  });
  return out;
}

/** Problems with planned resources. */
export function resourceProblems(
  resources: ReadonlyArray<{ id: string; kind: Resource_Kind; spec: { case: string | undefined } }>,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    const at = `resources[${i}]`;
    if (!/^[a-z]+:.+/.test(r.id)) out.push(`${at}: id ${JSON.stringify(r.id)} is not "kind:name"`);
    if (seen.has(r.id)) out.push(`${at}: duplicate id ${r.id}`);
    seen.add(r.id);
    if (r.kind === Resource_Kind.UNSPECIFIED) out.push(`${at}: kind is unset`);
    if (r.spec.case === undefined) out.push(`${at}: spec is unset`);
  });
  return out;
}
