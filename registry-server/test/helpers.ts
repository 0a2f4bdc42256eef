import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, watch } from "node:fs";
import { type ClientRequest, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ArchiveEntry,
  archiveHash,
  encodeRelease,
  generateSigningKey,
  packArchive,
  type ReleaseDocument,
  signRelease,
  treeHash,
} from "@cig/core/registry";
import { afterAll } from "vitest";
import { DataDir } from "../src/data-dir.js";
import { NamespaceStore } from "../src/namespace-store.js";
import { createRegistryServer, type RegistryServerOptions } from "../src/registry-server.js";

/** A fresh directory, removed after the file's tests. */
export function tempDir(prefix = "cig-registry-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const file = (path: string, text: string | Buffer, mode = 0o644): ArchiveEntry => ({
  path,
  type: "file",
  mode,
  data: Buffer.isBuffer(text) ? text : Buffer.from(text),
});

export const symlink = (path: string, target: string): ArchiveEntry => ({ path, type: "symlink", mode: 0o777, data: Buffer.from(target) });

export const manifest = (name: string, version: string, extra = "") =>
  `[module]\nname = "${name}"\nversion = "${version}"\nentrypoint = "bin/plugin"\n${extra}`;

/** The files of a well-formed plugin. */
export const pluginFiles = (name: string, version: string): ArchiveEntry[] => [
  file("module.toml", manifest(name, version)),
  file("bin/plugin", `#!/bin/sh\necho ${name} ${version}\n`, 0o755),
  file("README.md", "a plugin\n"),
];

export interface BuiltRelease {
  doc: ReleaseDocument;
  release: string;
  signature: string;
  archives: Record<string, Buffer>;
  /** The publish body (JSON text). */
  body: string;
}

/**
 * Packs, hashes and signs a release the way `cig publish` does. `entries` and
 * `doc` let a test build a bad one; the document is signed after `doc` ran.
 */
export function buildRelease(o: {
  name: string;
  version: string;
  privatePem: string;
  platforms?: string[];
  entries?: ArchiveEntry[];
  doc?: (doc: ReleaseDocument) => void;
}): BuiltRelease {
  const entries = o.entries ?? pluginFiles(o.name, o.version);
  const archives: Record<string, Buffer> = {};
  const platforms: ReleaseDocument["platforms"] = {};
  for (const p of o.platforms ?? ["any"]) {
    const gz = packArchive(entries);
    archives[p] = gz;
    platforms[p] = { archive: archiveHash(gz), content: treeHash(entries) };
  }
  const doc: ReleaseDocument = { kind: "cig-release-v1", name: o.name, version: o.version, protocols: [1], requires: [], platforms };
  o.doc?.(doc);
  const release = encodeRelease(doc);
  const signature = signRelease(release, o.privatePem);
  return { doc, release, signature, archives, body: publishBody(release, signature, archives) };
}

export function publishBody(release: string, signature: string, archives: Record<string, Buffer>): string {
  const encoded = Object.fromEntries(Object.entries(archives).map(([p, gz]) => [p, gz.toString("base64")]));
  return JSON.stringify({ release, signature, archives: encoded });
}

/** A data directory with namespace `ns` registered for a fresh key; returns the key and a token. */
export async function registerNamespace(dataDir: string, ns: string) {
  const key = generateSigningKey();
  const data = new DataDir(dataDir);
  await data.prepare();
  const { token } = await new NamespaceStore(data).update(ns, { publicKey: key.key.public_key, token: true });
  return { ...key, token: token as string };
}

/** An in-process server on a free port, closed after the file's tests. */
export async function startServer(opts: Partial<RegistryServerOptions> & { dataDir: string }) {
  const server = createRegistryServer({ quiet: true, ...opts });
  const { url } = await server.listen(0, "127.0.0.1");
  afterAll(() => server.close(0));
  return { server, url };
}

/** PUT a publish body. */
export function publish(url: string, id: string, version: string, body: string, token?: string): Promise<Response> {
  return fetch(`${url}/v1/plugins/${id}/${version}`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

/** The `{"error":{…}}` of a refusal, with its status. */
export async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

/** GET a path exactly as written (fetch() would normalise `..` and `%2e%2e` away). */
export function rawGet(url: string, path: string): Promise<{ status: number; code: string; message: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { path }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ...JSON.parse(Buffer.concat(chunks).toString()).error }));
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * A PUT whose body is written by `write` as the test likes (slowly, never
 * finished, more than declared); resolves with the server's answer. Write
 * errors after the server answered (it closes the connection) are expected.
 */
export function rawPut(
  url: string,
  path: string,
  headers: Record<string, string | number>,
  write: (req: ClientRequest) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: "PUT", headers });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        req.destroy();
      });
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    write(req);
  });
}

export const REGISTRY_BIN = fileURLToPath(new URL("../bin/cig-registry.js", import.meta.url));

// Servers a test file started and did not stop itself. `afterAll` inside a test body registers
// nothing, so they are reaped here, once per file, and at exit whatever happens.
const running = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const p of running) p.kill("SIGKILL");
});
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/** A real `cig-registry serve` process on a free port; `url` once it said it listens. */
export async function spawnServer(dataDir: string, ...extra: string[]) {
  const proc = spawn(process.execPath, [REGISTRY_BIN, "serve", "--data", dataDir, "--port", "0", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^cig-registry listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1] as string);
    });
    exited.then(({ code }) => reject(new Error(`cig-registry exited ${code} before listening: ${stderr}`)));
  });
  running.add(proc);
  proc.once("exit", () => running.delete(proc));
  return { proc, url, exited, stderr: () => stderr };
}

/**
 * Resolves once `ready()` holds, re-checking on every change fs.watch reports
 * in `dir` (and once at the start, for a change that came first).
 */
export function whenInDir(dir: string, ready: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => check());
    const check = () => {
      if (!ready()) return;
      watcher.close();
      resolve();
    };
    check();
  });
}
