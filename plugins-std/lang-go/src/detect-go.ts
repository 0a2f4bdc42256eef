import { type DetectResponseSchema, Diagnostic_Level, type DiagnosticSchema, type RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { firstValue, type Located, matchLocated, repoText, toolVersion } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. go.sum and go.work only need to exist. */
export const DETECT_PATTERNS = ["go.mod", ".go-version", ".tool-versions"];

// 1.22, 1.22.3, 1.23rc1: Go release names, as the go directive and setup-go spell them.
const USABLE_VERSION = /^\d+(\.\d+){0,2}((rc|beta)\d+)?$/;

/**
 * Detects a Go module at the repository root: the Go version (from
 * .go-version, .tool-versions, then go.mod's toolchain and go directives —
 * a pinned file first, then the exact toolchain before the minimum language
 * version), the module path, and the file dependencies are verified against.
 */
export function detectGo(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const files = repoText(repo, "LANG_GO");
  const signals = ["go.mod", "go.sum", "go.work"].filter((f) => files.has(f)).map((f) => `has_${f.replace(".", "_")}`);
  const facts: Record<string, string> = {};
  const diagnostics: Reply<typeof DiagnosticSchema>[] = [];
  const gomod = files.text("go.mod");

  const sources: Array<[string, Located | undefined]> = [
    [".go-version", firstValue(files.text(".go-version"))],
    [".tool-versions", toolVersion(files.text(".tool-versions"), ["golang", "go"])],
    // "toolchain default" names no version and does not match.
    ["go.mod#toolchain", matchLocated(gomod, /^toolchain\s+go(\S+)/m)],
    ["go.mod#go", matchLocated(gomod, /^go\s+(\S+)/m)],
  ];
  for (const [source, found] of sources) {
    if (found && source.startsWith(".")) signals.push(`has_${source.slice(1).replace(/[-.]/g, "_")}`);
    if (!found || facts.go_version) continue;
    const version = found.value.replace(/^go(?=\d)/, "");
    if (!USABLE_VERSION.test(version)) {
      diagnostics.push(badVersion(source, found));
      continue;
    }
    facts.go_version = version;
    facts.go_version_source = source;
  }
  const module = matchLocated(gomod, /^module\s+"?([^\s"]+)/m);
  if (module) facts.go_module = module.value;
  // setup-go keys its cache on go.sum, and a module without dependencies has none.
  if (files.has("go.mod")) facts.go_dependency_file = files.has("go.sum") ? "go.sum" : "go.mod";

  const confidence = files.has("go.mod") ? 0.9 : facts.go_version ? 0.6 : 0;
  if (confidence > 0) signals.unshift("go_detected");
  return { signals, facts, confidence, diagnostics: [...files.diagnostics, ...diagnostics] };
}

function badVersion(source: string, found: Located): Reply<typeof DiagnosticSchema> {
  const [path = source, directive] = source.split("#");
  return {
    level: Diagnostic_Level.WARNING,
    code: "LANG_GO_BAD_VERSION",
    title: `${directive ? `the ${directive} directive in ${path}` : path} does not name a Go version`,
    message: `Found ${JSON.stringify(found.value)}; expected a Go release such as 1.22 or 1.22.3. It was ignored.`,
    fixHint: directive ? `Run \`go mod edit -${directive}=<version>\` to rewrite it.` : "Write the version alone on the line, e.g. 1.22.3.",
    loc: { path, line: found.line, column: found.column, endLine: found.line, endColumn: found.column + [...found.value].length },
  };
}
