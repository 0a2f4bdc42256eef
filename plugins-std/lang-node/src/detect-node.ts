import { type DetectResponseSchema, Diagnostic_Level, type DiagnosticSchema, type RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. */
export const DETECT_PATTERNS = ["package.json", ".nvmrc", ".node-version", ".tool-versions"];

const LOCKFILES: ReadonlyArray<[file: string, manager: string]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/**
 * Detects a Node.js project at the repository root: the Node version (from
 * .nvmrc, .node-version, .tool-versions, then package.json engines/volta, in
 * that order, the order nvm/fnm/asdf users expect) and the package manager
 * (packageManager field, then lockfile).
 */
export function detectNode(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const files = new Map(repo.files.map((f) => [f.path, f]));
  const text = (path: string) => {
    const content = files.get(path)?.content;
    return content === undefined ? undefined : new TextDecoder().decode(content);
  };
  const signals: string[] = [];
  const facts: Record<string, string> = {};
  const diagnostics: Reply<typeof DiagnosticSchema>[] = [];

  let pkg: Record<string, unknown> | undefined;
  const pkgText = text("package.json");
  if (files.has("package.json")) signals.push("has_package_json");
  if (pkgText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(pkgText);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) pkg = parsed as Record<string, unknown>;
    } catch (err) {
      diagnostics.push({
        level: Diagnostic_Level.WARNING,
        code: "LANG_NODE_BAD_PACKAGE_JSON",
        title: "package.json is not valid JSON",
        message: err instanceof Error ? err.message : String(err),
        fixHint: "Fix the JSON syntax in package.json; Node version and package manager detection skipped it.",
        loc: { path: "package.json", ...jsonErrorPosition(pkgText, err) },
      });
    }
  }

  const versionSources: Array<[string, string | undefined]> = [
    [".nvmrc", firstLine(text(".nvmrc"))],
    [".node-version", firstLine(text(".node-version"))],
    [".tool-versions", toolVersionsNode(text(".tool-versions"))],
    ["package.json#engines.node", stringAt(pkg, "engines", "node")],
    ["package.json#volta.node", stringAt(pkg, "volta", "node")],
  ];
  for (const [source, raw] of versionSources) {
    if (source.startsWith(".") && raw !== undefined) signals.push(`has_${source.slice(1).replace(/[-.]/g, "_")}`);
    if (raw === undefined || facts.node_version) continue;
    facts.node_version = raw.replace(/^v(?=\d)/, "");
    facts.node_version_source = source;
  }

  const pm = stringAt(pkg, "packageManager");
  const pmMatch = pm ? /^(npm|pnpm|yarn|bun)@([^+\s]+)/.exec(pm) : null;
  if (pmMatch?.[1] && pmMatch[2]) {
    facts.package_manager = pmMatch[1];
    facts.package_manager_version = pmMatch[2];
  } else {
    const lock = LOCKFILES.find(([file]) => files.has(file));
    if (lock) facts.package_manager = lock[1];
  }
  for (const [file] of LOCKFILES) if (files.has(file)) signals.push(`has_${file.replace(/[-.]/g, "_")}`);

  const confidence = pkg || files.has("package.json") ? 0.9 : facts.node_version ? 0.6 : 0;
  if (confidence > 0) signals.unshift("node_detected");
  return { signals, facts, confidence, diagnostics };
}

function firstLine(text: string | undefined): string | undefined {
  const line = text
    ?.split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .find((l) => l !== "");
  return line === undefined || line === "" ? undefined : line;
}

function toolVersionsNode(text: string | undefined): string | undefined {
  for (const line of text?.split(/\r?\n/) ?? []) {
    const [tool, version] = line.replace(/#.*/, "").trim().split(/\s+/);
    if ((tool === "nodejs" || tool === "node") && version) return version;
  }
  return undefined;
}

function stringAt(obj: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  let cur: unknown = obj;
  for (const key of keys) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === "string" && cur.trim() !== "" ? cur.trim() : undefined;
}

/** Line and column of a JSON.parse error, where V8's message gives a position. */
function jsonErrorPosition(text: string, err: unknown): { line: number; column: number } {
  const pos = /position (\d+)/.exec(err instanceof Error ? err.message : "");
  if (!pos?.[1]) return { line: 1, column: 1 };
  const before = text.slice(0, Number(pos[1])).split("\n");
  // Columns count code points, as docs/plugin-protocol.md specifies.
  return { line: before.length, column: [...(before.at(-1) ?? "")].length + 1 };
}
