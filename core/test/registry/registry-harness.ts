import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../process-helpers.js";

export const CIG = join(REPO_ROOT, "core/bin/cig.js");
export const REGISTRY_BIN = join(REPO_ROOT, "registry-server/bin/cig-registry.js");
export const PYTHON_POLICY = join(REPO_ROOT, "examples/plugins/python-policy");

/** A real `cig-registry serve` on port 0 with one namespace, plus a publisher key and a private cache. */
export interface Registry {
  root: string;
  url: string;
  data: string;
  /** Environment for cig: the registry host mapped to the server, a cache of its own. */
  env: NodeJS.ProcessEnv;
  tokens: Record<string, string>;
  keys: Record<string, string>;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Runs the registry CLI to completion. */
export function registryCli(...args: string[]) {
  const r = spawnSync(process.execPath, [REGISTRY_BIN, ...args], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`cig-registry ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Runs the real cig. */
export function cig(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CIG, "--cwd", cwd, ...args], {
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

/** The real cig without blocking this process (for a server the test itself runs, like a proxy). */
export function cigAsync(
  env: NodeJS.ProcessEnv,
  cwd: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CIG, "--cwd", cwd, ...args], { env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, stdout, stderr, out: stdout + stderr }));
  });
}

/** Starts a registry with the namespaces given, each with its own key and token. */
export async function startRegistry(namespaces: string[]): Promise<Registry> {
  for (const bin of [REGISTRY_BIN, join(REPO_ROOT, "registry-server/dist/cli.js"), join(REPO_ROOT, "core/dist/cli/main.js")])
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`);
  const root = mkdtempSync(join(tmpdir(), "cig-registry-e2e-"));
  const data = join(root, "data");
  mkdirSync(data);
  const env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: join(root, "cache") };
  const tokens: Record<string, string> = {};
  const keys: Record<string, string> = {};
  for (const ns of namespaces) {
    keys[ns] = join(root, `${ns}.pem`);
    const gen = cig(env, root, "keygen", "--out", keys[ns] as string, "--json");
    if (gen.status !== 0) throw new Error(`cig keygen failed: ${gen.out}`);
    const pub = (JSON.parse(gen.stdout) as { public_key: string }).public_key;
    const out = registryCli("namespace", "add", ns, "--key", pub, "--data", data);
    tokens[ns] = /token[^:]*: (\S+)/.exec(out)?.[1] ?? "";
  }
  const proc = spawn(process.execPath, [REGISTRY_BIN, "serve", "--data", data, "--port", "0", "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    proc.on("exit", (code) => reject(new Error(`cig-registry exited ${code} before listening`)));
  });
  env.CIG_REGISTRY_HOSTS = `registry.cig.dev=${url}`;
  return {
    root,
    url,
    data,
    env,
    tokens,
    keys,
    proc,
    stop: async () => {
      proc.kill("SIGTERM");
      if (proc.exitCode === null) await new Promise((r) => proc.once("exit", r));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A copy of the Python example plugin at another version (its Info reads module.toml). */
export function pythonPolicyAt(root: string, version: string, edit?: (manifest: string) => string): string {
  const dir = join(root, `python-policy-${version}`);
  mkdirSync(root, { recursive: true });
  cpSync(PYTHON_POLICY, dir, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  const file = join(dir, "module.toml");
  const text = readFileSync(file, "utf8").replace(/^version = ".*"$/m, `version = "${version}"`);
  writeFileSync(file, edit ? edit(text) : text);
  return dir;
}

/**
 * A copy of the Python example published under another name, in its own directory under `root`;
 * `moduleKeys` are more `[module]` lines (requires, capabilities_required). Its Info reports that name.
 */
export function renamedPolicy(root: string, name: string, version: string, moduleKeys = ""): string {
  return pythonPolicyAt(join(root, name.replace("/", "-")), version, (t) =>
    t.replace('name = "example/python-policy"', `name = "${name}"${moduleKeys ? `\n${moduleKeys}` : ""}`),
  );
}

/** Publishes a plugin directory with the namespace's key and token. */
export function publish(reg: Registry, ns: string, dir: string) {
  return cig({ ...reg.env, CIG_REGISTRY_TOKEN: reg.tokens[ns], CIG_SIGNING_KEY: reg.keys[ns] }, reg.root, "publish", "--plugin", dir);
}

/** A project using the policy plugin: one GitHub workflow with an untagged image for it to warn about. */
export function project(root: string, name: string, plugins: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cig.toml"),
    `version = "0.2"

# Our CI.
[project]
name = "${name}"

[jobs.build]
services = { cache = { image = "redis" } }   # no tag on purpose: the policy warns about it
steps = [{ run = "make" }]

[[outputs]]
provider = "github"
path = ".github/workflows/ci.yml"

[plugins]
${plugins}
`,
  );
  return dir;
}
