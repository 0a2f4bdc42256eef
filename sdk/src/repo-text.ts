import { Diagnostic_Level, type DiagnosticSchema, type RepoSnapshot } from "@cig/proto";
import type { Reply } from "./define-plugin.js";

/** A value read from a file and where it starts: 1-based line, column in code points. */
export interface Located {
  value: string;
  line: number;
  column: number;
}

/** The repository as detection reads it. */
export interface RepoText {
  has(path: string): boolean;
  /** The file's text, or undefined when it is absent or unreadable (then reported once). */
  text(path: string): string | undefined;
  /** Warnings about files that matched detectPatterns but could not be read. */
  diagnostics: Reply<typeof DiagnosticSchema>[];
}

/**
 * Reads the files the core inlined. A listed file without content was larger
 * than the core inlines; a file that is not UTF-8 is usually a version file
 * Windows PowerShell wrote as UTF-16. Both are reported as `<prefix>_FILE_NOT_READ`
 * and read as absent, so detection goes on with the other sources.
 */
export function repoText(repo: RepoSnapshot, prefix: string): RepoText {
  const files = new Map(repo.files.map((f) => [f.path, f]));
  const cache = new Map<string, string | undefined>();
  const diagnostics: RepoText["diagnostics"] = [];
  const notRead = (path: string, message: string, line = 0, column = 0) =>
    diagnostics.push({
      level: Diagnostic_Level.WARNING,
      code: `${prefix}_FILE_NOT_READ`,
      title: `${path} could not be read`,
      message,
      fixHint: `Save ${path} as UTF-8 text; detection skipped it.`,
      loc: { path, line, column },
    });
  const decode = (path: string): string | undefined => {
    const entry = files.get(path);
    if (!entry) return undefined;
    if (entry.content === undefined) {
      notRead(path, "It is larger than the core inlines for detection (256 KiB).");
      return undefined;
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(entry.content);
    } catch {
      const lossy = new TextDecoder().decode(entry.content);
      const at = position(lossy, lossy.indexOf("\uFFFD"));
      notRead(path, "It is not valid UTF-8 (a UTF-16 file, for example).", at.line, at.column);
      return undefined;
    }
  };
  return {
    has: (path) => files.has(path),
    text: (path) => {
      if (!cache.has(path)) cache.set(path, decode(path));
      return cache.get(path);
    },
    diagnostics,
  };
}

/** Line and column (in code points) of UTF-16 offset `index` in `text`. */
export function position(text: string, index: number): { line: number; column: number } {
  const lines = text.slice(0, Math.max(index, 0)).split("\n");
  return { line: lines.length, column: [...(lines.at(-1) ?? "")].length + 1 };
}

/** The first line that is not blank or a comment, as rbenv/pyenv/goenv version files are read. */
export function firstValue(text: string | undefined): Located | undefined {
  const lines = text?.split(/\r?\n/) ?? [];
  for (const [i, raw] of lines.entries()) {
    const value = raw.replace(/#.*/, "").trim();
    if (value !== "") return { value, line: i + 1, column: [...raw.slice(0, raw.indexOf(value))].length + 1 };
  }
  return undefined;
}

/** The first capture group of `re` in `text`, located (the capture ends the match). */
export function matchLocated(text: string | undefined, re: RegExp): Located | undefined {
  const m = text === undefined ? null : re.exec(text);
  if (text === undefined || !m?.[1]) return undefined;
  return { value: m[1], ...position(text, m.index + m[0].lastIndexOf(m[1])) };
}

/** The first version asdf/mise's .tool-versions gives one of `tools` ("system" means none). */
export function toolVersion(text: string | undefined, tools: readonly string[]): Located | undefined {
  for (const [i, raw] of (text?.split(/\r?\n/) ?? []).entries()) {
    const m = /^(\s*(\S+)\s+)(\S+)/.exec(raw.replace(/#.*/, ""));
    if (m?.[1] === undefined || !m[2] || !m[3] || !tools.includes(m[2]) || m[3] === "system") continue;
    return { value: m[3], line: i + 1, column: [...m[1]].length + 1 };
  }
  return undefined;
}
