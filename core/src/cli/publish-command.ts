import { constants, existsSync, readFileSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import picomatch from "picomatch";
import { CigError } from "../errors/cig-error.js";
import { HttpSource } from "../registry/http-source.js";
import { parseModuleManifest } from "../registry/module-manifest.js";
import { packArchive } from "../registry/pack-archive.js";
import type { ArchiveEntry } from "../registry/read-archive.js";
import { defaultRegistryHost } from "../registry/registry-hosts.js";
import { encodeRelease, generateSigningKey, publicKeyOf, type ReleaseDocument, signRelease } from "../registry/release-signing.js";
import { archiveHash, readTree, treeHash } from "../registry/tree-hash.js";
import { writeFileAtomic } from "../registry/write-file-atomic.js";
import type { CliContext } from "./cli-context.js";
import { OK, paint } from "./terminal.js";

export interface PublishOptions {
  plugin: string;
  registry?: string;
  key?: string;
  token?: string;
  platform?: string;
  /** `<platform>=<dir>` per platform build, dirs relative to `cwd`. */
  build?: string[];
  /** The working directory `--build` dirs are relative to. */
  cwd?: string;
}

/** Left out of every archive: version control and interpreter caches. */
const SKIP = new Set([".git", "__pycache__", ".DS_Store"]);

/**
 * `cig publish --plugin <dir>`: pack the directory deterministically, hash
 * it, sign the release document with the publisher's key and upload it
 * (docs/registry.md#signatures).
 */
export async function publishCommand(ctx: CliContext, opts: PublishOptions): Promise<number> {
  const env = process.env;
  const dir = resolve(ctx.cwd, opts.plugin);
  const manifestFile = join(dir, "module.toml");
  if (!existsSync(manifestFile))
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `no module.toml in ${dir}`,
      "Every plugin needs a module.toml (docs/registry.md#moduletoml).",
    );
  const m = parseModuleManifest(await readFile(manifestFile, "utf8"), manifestFile, { requireEntrypoint: true });
  await access(join(dir, m.entrypoint as string), constants.X_OK).catch(() => {
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `entrypoint ${m.entrypoint} is missing from ${dir} or not executable`,
      `Build the plugin first, then \`chmod +x ${m.entrypoint}\`.`,
    );
  });
  const keyFile = opts.key ?? env.CIG_SIGNING_KEY;
  if (!keyFile)
    throw new CigError(
      "CIG_SIGNING_KEY_INVALID",
      "no signing key: pass --key <file> or set CIG_SIGNING_KEY",
      "Create one with `cig keygen --out <file>` and register its public key with the registry.",
    );
  let pem: string;
  try {
    pem = readFileSync(resolve(ctx.cwd, keyFile), "utf8");
  } catch (err) {
    throw new CigError(
      "CIG_SIGNING_KEY_INVALID",
      `cannot read the signing key ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      "Point --key / CIG_SIGNING_KEY at the file `cig keygen --out <file>` wrote.",
    );
  }
  const token = opts.token ?? env.CIG_REGISTRY_TOKEN;
  if (!token)
    throw new CigError(
      "CIG_REGISTRY_REJECTED",
      "no registry token: pass --token or set CIG_REGISTRY_TOKEN",
      "Use the token the registry's operator issued for this namespace.",
    );
  const builds = platformBuilds(dir, { ...opts, cwd: ctx.cwd });
  const say = (t: string) => !ctx.json && !ctx.quiet && ctx.term.out(t);
  say(`Packing ${opts.plugin}...\n`);
  const platforms: ReleaseDocument["platforms"] = {};
  const archives: Record<string, string> = {};
  for (const [platform, buildDir] of builds) {
    if (buildDir !== dir) await checkBuild(buildDir, m.name, m.version, m.entrypoint as string);
    const entries = included(await readTree(buildDir, SKIP), m.include);
    if (!entries.some((e) => e.path === m.entrypoint))
      throw new CigError(
        "CIG_MODULE_MANIFEST_INVALID",
        `[module] include leaves the entrypoint ${m.entrypoint} out of the archive`,
        "Add a glob for it to include in module.toml.",
      );
    const archive = packArchive(entries);
    platforms[platform] = { archive: archiveHash(archive), content: treeHash(entries) };
    archives[platform] = archive.toString("base64");
    say(
      `  ${paint(ctx.term, "green", OK)} ${m.name} ${m.version} ${platform}: ${entries.length} files, ${(archive.length / 1024).toFixed(1)} KiB\n`,
    );
    say(paint(ctx.term, "dim", `    ${platforms[platform]?.archive}\n    ${platforms[platform]?.content}\n`));
  }
  const doc: ReleaseDocument = {
    kind: "cig-release-v1",
    name: m.name,
    version: m.version,
    protocols: m.protocols,
    requires: m.requires,
    platforms,
  };
  const release = encodeRelease(doc);
  const signature = signRelease(release, pem);
  const host = (opts.registry ?? defaultRegistryHost(env)).toLowerCase();
  say(`Signing with ${publicKeyOf(pem).key_id}\nPublishing to ${host}...\n`);
  const body = JSON.stringify({ release, signature, archives });
  await new HttpSource(env).write(host, "PUT", `${m.name}/${m.version}`, body, token);
  if (ctx.json) ctx.term.out(`${JSON.stringify({ published: `${m.name}@${m.version}`, registry: host, platforms }, null, 2)}\n`);
  else say(`  ${paint(ctx.term, "green", OK)} published ${m.name}@${m.version}\n`);
  return 0;
}

const PLATFORM = /^(any|[a-z0-9]+_[a-z0-9]+)$/;

/** The entries `[module] include` selects (module.toml always); all of them without it. */
function included(entries: ArchiveEntry[], include: readonly string[] | undefined): ArchiveEntry[] {
  if (!include) return entries;
  const match = picomatch([...include], { dot: true });
  return entries.filter((e) => e.path === "module.toml" || match(e.path));
}

/** Platform → directory to pack: `--build p=dir` each, else the plugin directory as `--platform` (default any). */
function platformBuilds(dir: string, opts: PublishOptions): Map<string, string> {
  const bad = (p: string) =>
    new CigError(
      "CIG_USAGE",
      `platform "${p}" is not "any" or <os>_<arch> (linux_amd64, darwin_arm64)`,
      "Name the platform each directory was built for.",
    );
  if (!opts.build || opts.build.length === 0) {
    const platform = opts.platform ?? "any";
    if (!PLATFORM.test(platform)) throw bad(platform);
    return new Map([[platform, dir]]);
  }
  if (opts.platform)
    throw new CigError("CIG_USAGE", "--platform and --build exclude each other", "Use --build <platform>=<dir> once per platform.");
  const out = new Map<string, string>();
  for (const b of opts.build) {
    const eq = b.indexOf("=");
    const platform = eq < 0 ? b : b.slice(0, eq);
    if (eq < 0 || !PLATFORM.test(platform)) throw bad(platform);
    if (out.has(platform)) throw new CigError("CIG_USAGE", `--build ${platform} is given twice`, "Give each platform once.");
    out.set(platform, resolve(opts.cwd ?? ".", b.slice(eq + 1)));
  }
  return out;
}

/** A platform build must be the same plugin: its own module.toml with the same name and version, and the entrypoint. */
async function checkBuild(dir: string, name: string, version: string, entrypoint: string): Promise<void> {
  const file = join(dir, "module.toml");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined)
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `no module.toml in the build ${dir}`,
      "Copy the plugin's module.toml into every platform build.",
    );
  const m = parseModuleManifest(text, file, { requireEntrypoint: true });
  if (m.name !== name || m.version !== version || m.entrypoint !== entrypoint)
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `${file} says ${m.name} ${m.version} (entrypoint ${m.entrypoint}), not ${name} ${version} (${entrypoint})`,
      "Every platform build must carry the same module.toml.",
    );
  await access(join(dir, entrypoint), constants.X_OK).catch(() => {
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `entrypoint ${entrypoint} is missing from ${dir} or not executable`,
      "Build the plugin for that platform first.",
    );
  });
}

/** `cig keygen --out <file>`: a new Ed25519 signing key (PKCS#8 PEM, mode 0600); prints the public key to register. */
export async function keygenCommand(ctx: CliContext, opts: { out: string }): Promise<number> {
  const file = resolve(ctx.cwd, opts.out);
  if (existsSync(file))
    throw new CigError(
      "CIG_USAGE",
      `${opts.out} exists; cig keygen never overwrites a key`,
      "Choose another --out, or move the old key away first.",
    );
  const { privatePem, key } = generateSigningKey();
  await writeFileAtomic(file, privatePem, 0o600);
  if (ctx.json) ctx.term.out(`${JSON.stringify({ file: opts.out, ...key }, null, 2)}\n`);
  else
    ctx.term.out(
      `Wrote ${opts.out} (keep it secret).\nkey id:     ${key.key_id}\npublic key: ${key.public_key}\nRegister the public key for your namespace with the registry's operator.\n`,
    );
  return 0;
}
