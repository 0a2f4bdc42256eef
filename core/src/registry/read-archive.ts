import { gunzipSync } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { CigError } from "../errors/cig-error.js";
import { ARCHIVE_LIMITS, type ArchiveLimits } from "./archive-limits.js";

/** One file or symlink of a plugin archive (directories are implied by paths). */
export interface ArchiveEntry {
  /** Relative, `/`-separated, no `.`/`..` segments. */
  path: string;
  type: "file" | "symlink";
  /** 0o644 or 0o755 for files (the owner's exec bit decides), 0o777 for symlinks. */
  mode: number;
  /** File content, or the link target's bytes. */
  data: Buffer;
}

/**
 * Reads a plugin .tar.gz fully into memory, refusing anything unsafe to
 * extract: absolute paths, `..`, links escaping the root, hard links,
 * devices, duplicates, and archives over the size limits. `name` is used
 * in messages ("acme/deploy 2.1.0 (linux_amd64)").
 */
export async function readArchive(gz: Buffer, name: string, limits: Readonly<ArchiveLimits> = ARCHIVE_LIMITS): Promise<ArchiveEntry[]> {
  const unsafe = (what: string) =>
    new CigError(
      "CIG_ARCHIVE_UNSAFE",
      `the archive of ${name} is refused: ${what}`,
      "Re-publish the plugin from a clean directory with `cig publish`; never extract this archive by hand.",
    );
  if (gz.length > limits.compressedBytes) throw unsafe(`it is ${gz.length} bytes, over the ${limits.compressedBytes}-byte limit`);
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(gz, { maxOutputLength: limits.uncompressedBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError)
      throw unsafe(`it unpacks to more than ${limits.uncompressedBytes} bytes`);
    throw unsafe(`it is not gzip data (${(err as Error).message})`);
  }
  const entries: ArchiveEntry[] = [];
  const seen = new Set<string>();
  let problem: CigError | undefined;
  const fail = (what: string) => {
    problem ??= unsafe(what);
  };
  await new Promise<void>((resolve) => {
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (problem) return entry.resume();
        if (entries.length + seen.size >= limits.entries * 2) fail(`more than ${limits.entries} entries`);
        const path = normalise(entry.path);
        const bad = pathProblem(entry.path);
        if (bad) fail(`entry "${entry.path}": ${bad}`);
        else if (entry.type === "Directory") {
          entry.resume();
          return;
        } else if (path === "" || path === ".") fail(`entry "${entry.path}" (a ${entry.type}) would replace the plugin's own directory`);
        else if (seen.has(path)) fail(`entry "${path}" appears twice`);
        else if (entry.type === "SymbolicLink") {
          const target = entry.linkpath ?? "";
          if (badTarget(target)) fail(`symlink "${path}" points outside the plugin (${target})`);
          else push(path, "symlink", 0o777, Buffer.from(target, "utf8"));
        } else if (entry.type === "Link") fail(`entry "${path}" is a hard link`);
        else if (entry.type !== "File" && entry.type !== "OldFile" && entry.type !== "ContiguousFile")
          fail(`entry "${path}" is a ${entry.type}, not a file, directory or symlink`);
        else {
          const chunks: Buffer[] = [];
          entry.on("data", (c: Buffer) => chunks.push(c));
          entry.on("end", () => push(path, "file", (entry.mode ?? 0o644) & 0o100 ? 0o755 : 0o644, Buffer.concat(chunks)));
          return;
        }
        entry.resume();
      },
    });
    parser.on("warn", (_code: string, message: string) => fail(`not a valid tar archive: ${message}`));
    parser.on("error", (err: Error) => fail(`not a valid tar archive: ${err.message}`));
    parser.on("close", () => resolve());
    parser.end(tarBytes);
  });
  function push(path: string, type: ArchiveEntry["type"], mode: number, data: Buffer) {
    seen.add(path);
    entries.push({ path, type, mode, data });
  }
  if (problem) throw problem;
  if (entries.length > limits.entries) throw unsafe(`more than ${limits.entries} entries`);
  // A file under a path that is also a file or symlink ("a" and "a/b") cannot be extracted faithfully.
  const sorted = sortEntries(entries);
  for (const e of sorted) {
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (seen.has(parts.slice(0, i).join("/")))
        throw unsafe(`"${e.path}" is inside "${parts.slice(0, i).join("/")}", which is not a directory`);
    }
  }
  // Symlinks resolved the way the filesystem will, through the other links: `y -> .` then `x -> y/..` escapes.
  const links = new Map(sorted.filter((e) => e.type === "symlink").map((e) => [e.path, e.data.toString("utf8")]));
  for (const [path, target] of links) {
    if (resolveLink(path, target, links) === undefined) throw unsafe(`symlink "${path}" points outside the plugin (${target})`);
  }
  return sorted;
}

/** Entries in byte order of their paths, the order of the tree1 hash and of packing. */
export function sortEntries<T extends { path: string }>(entries: T[]): T[] {
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.path, "utf8"), Buffer.from(b.path, "utf8")));
}

function normalise(path: string): string {
  return path.replace(/^\.\//, "").replace(/\/+$/, "");
}

/** Why a path from an archive is unsafe, or undefined. */
export function pathProblem(raw: string): string | undefined {
  if (raw.includes("\0")) return "the path has a NUL byte";
  if (raw.includes("\\")) return "the path has a backslash";
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) return "the path is absolute";
  const path = normalise(raw);
  if (path === "" || path === ".") return undefined;
  if (path.split("/").some((s) => s === ".." || s === "." || s === "")) return 'the path has a ".." or empty segment';
  return undefined;
}

/** A link target that is absolute or not a plain relative path. */
function badTarget(target: string): boolean {
  return target === "" || target.startsWith("/") || target.includes("\\") || target.includes("\0");
}

/**
 * Where a symlink at `path` with `target` ends up inside the archive root,
 * following the archive's other symlinks as the filesystem would; undefined
 * when it leaves the root at any step, or loops.
 */
function resolveLink(path: string, target: string, links: ReadonlyMap<string, string>, depth = 0): string[] | undefined {
  if (depth > 40 || badTarget(target)) return undefined;
  const stack = path.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    stack.push(seg);
    const here = stack.join("/");
    const next = links.get(here);
    if (next !== undefined) {
      const resolved = resolveLink(here, next, links, depth + 1);
      if (!resolved) return undefined;
      stack.splice(0, stack.length, ...resolved);
    }
  }
  return stack;
}
