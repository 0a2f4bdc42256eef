import { create } from "@bufbuild/protobuf";
import { type Diagnostic, Diagnostic_Level, DiagnosticSchema } from "@cig/proto";
import { compareUtf8 } from "../graph/compare-utf8.js";
import { configPrefix, rootGlob } from "./config-prefix.js";
import { encodeStream } from "./encode-stream.js";
import { FileRecords } from "./file-records.js";
import { GlobIndex } from "./glob-index.js";
import { loadBlake3 } from "./load-blake3.js";
import { orderVariants } from "./order-variants.js";
import type { RepoState } from "./repo-state.js";
import { type FileSet, selectFiles, sortedFiles } from "./select-files.js";
import { EMPTY_GLOB } from "./signature-error.js";
import { SignatureStream } from "./signature-stream.js";
import type { ComputedSignatures, SignatureResult } from "./signature-types.js";
import type { SignatureVariant } from "./variants-from-graph.js";

/** Inputs of {@link computeSignatures}. */
export interface ComputeOptions {
  variants: readonly SignatureVariant[];
  repo: RepoState;
  /** The environment skip_if.env names are read from (usually process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Global salt; "" by default. Changing it changes every signature. */
  salt?: string;
  /** Directory of cig.toml, absolute or relative to the repository root; globs are relative to it. Default: the root. */
  configDir?: string;
}

/**
 * The work signature of every variant: BLAKE3 over the canonical stream of
 * docs/work-signatures.md (tag, salt, files, patterns, env, upstream
 * signatures, tools, definition), upstream variants first. Variants with
 * equal patterns share one file selection and its encoded bytes.
 */
export async function computeSignatures(opts: ComputeOptions): Promise<ComputedSignatures> {
  const blake3 = await loadBlake3();
  const { repo, env = {}, salt = "" } = opts;
  const prefix = configPrefix(repo.root, opts.configDir ?? "");
  const index = new GlobIndex(sortedFiles(repo.files));
  const records = new FileRecords(index.files);
  const sets = new Map<string, FileSet>();
  const stream = new SignatureStream();
  const diagnostics: Diagnostic[] = [];
  const warned = new Set<string>();
  const done = new Map<string, string>();
  const results: SignatureResult[] = [];
  const saltHash = `blake3:${blake3(Buffer.from(salt, "utf8"))}`;

  for (const v of orderVariants(opts.variants)) {
    // Without patterns of its own a skippable variant hashes every file (any change re-runs it). A
    // variant that runs anyway gains nothing from that, and every variant downstream would re-run on
    // any change. The files its packages' modules name (lockfiles, tool-version files) count either way.
    const everyFile = v.patterns.length === 0 && v.skippable;
    const quiet = everyFile ? [] : (v.quietPatterns ?? []);
    const patterns = sortedUnique([...v.patterns, ...quiet]);
    const key = everyFile ? "\0every" : patterns.join("\0");
    let set = sets.get(key);
    if (!set) {
      const globs = patterns.map((p) => rootGlob(prefix, p));
      set = everyFile || patterns.length > 0 ? selectFiles(index, records, globs, patterns) : NO_FILES;
      sets.set(key, set);
    }
    for (const p of set.empty) {
      if (quiet.includes(p) && !v.patterns.includes(p)) continue;
      if (warned.has(`${v.job}\0${p}`)) continue;
      warned.add(`${v.job}\0${p}`);
      diagnostics.push(emptyGlob(v, p));
    }
    const names = sortedUnique(v.env);
    const upstream = sortedUnique(v.needs).map((id) => [id, done.get(id) as string] as const);
    const tools = Object.keys(v.tools)
      .sort(compareUtf8)
      .map((name) => [name, v.tools[name] as string] as const);
    const bytes = encodeStream(stream, {
      salt,
      files: set.section,
      patterns,
      env: names.map((name) => [name, env[name]] as const),
      upstream,
      tools,
      definition: v.definition,
    });
    const signature = `blake3:${blake3(bytes)}`;
    done.set(v.id, signature);
    const envHashes: Record<string, string | null> = {};
    for (const name of names) {
      const value = env[name];
      envHashes[name] = value === undefined ? null : `blake3:${blake3(stream.reset().field(salt).field(name).field(value).bytes())}`;
    }
    results.push({
      variant: v.id,
      job: v.job,
      signature,
      skippable: v.skippable,
      components: {
        salt: saltHash,
        patterns,
        everyFile,
        files: set.files,
        env: envHashes,
        upstream: Object.fromEntries(upstream),
        tools: Object.fromEntries(tools),
        definition: `blake3:${blake3(Buffer.from(v.definition, "utf8"))}`,
      },
      spec: v,
    });
  }
  return { results, diagnostics };
}

const NO_FILES: FileSet = { files: [], section: Buffer.alloc(4), empty: [] };

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareUtf8);
}

function emptyGlob(v: SignatureVariant, pattern: string): Diagnostic {
  return create(DiagnosticSchema, {
    level: Diagnostic_Level.WARNING,
    code: EMPTY_GLOB,
    title: "glob matches no file",
    message: `job ${v.job}: "${pattern}" matches no file; it still counts (by its text) in the work signature`,
    fixHint: "Globs are relative to cig.toml's directory and match files, not directories: write `dir/**` for a directory's files.",
    resourceId: `job:${v.id}`,
    ...(v.loc ? { loc: v.loc } : {}),
  });
}
