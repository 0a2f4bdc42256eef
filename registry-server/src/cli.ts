import { readFile } from "node:fs/promises";
import { addressProblem } from "@cig/core/registry";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import semver from "semver";
import { DataDir } from "./data-dir.js";
import { NamespaceStore } from "./namespace-store.js";
import { isCigError, RegistryError } from "./registry-error.js";
import { createRegistryServer } from "./registry-server.js";
import { VersionStore } from "./version-store.js";

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs `cig-registry` and resolves to the exit code: 0, 1 for a refused
 * operation, 2 for a bad command line. `serve` resolves once the server has
 * shut down after SIGTERM or SIGINT. Errors are one `error[CODE]` line and a
 * hint, never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const data = () => new Option("--data <dir>", "the registry's data directory").env("CIG_REGISTRY_DATA").makeOptionMandatory();
  const key = () =>
    new Option("--key <key>", 'a public key "ed25519:<base64>" as `cig keygen` prints it, or a file holding one').makeOptionMandatory();
  const program = new Command("cig-registry")
    .description("A small HTTP registry of signed cig plugins (docs/registry.md)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });
  program
    .command("serve")
    .description("serve the registry over HTTP")
    .addOption(data())
    .addOption(new Option("--port <n>", "port to listen on (0: any free port)").default(8080).argParser(port))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--base-url <url>", "public URL of the registry, for archive links (default: from each request's Host header)")
    .option("-q, --quiet", "no request log on stderr")
    .action(async (o: { data: string; port: number; host: string; baseUrl?: string; quiet?: boolean }) => {
      const server = createRegistryServer({ dataDir: o.data, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}), quiet: o.quiet === true });
      const { url } = await server.listen(o.port, o.host);
      io.out(`cig-registry listening on ${url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGTERM", stop).off("SIGINT", stop);
          server.close().then(resolve);
        };
        process.once("SIGTERM", stop).once("SIGINT", stop);
      });
    });
  const ns = program.command("namespace").description("manage namespaces: their signing keys and publish tokens");
  ns.command("add")
    .description("create a namespace (or add to it): register a signing key and print a new publish token")
    .argument("<namespace>")
    .addOption(key())
    .addOption(data())
    .action(async (name: string, o: { key: string; data: string }) => {
      const { token, key } = await (await store(o.data)).update(name, { publicKey: await readKey(o.key), token: true });
      io.out(`namespace ${name}: key ${key?.key_id} registered\ntoken (shown once, keep it secret): ${token}\n`);
    });
  ns.command("add-key")
    .description("register another signing key for a namespace")
    .argument("<namespace>")
    .addOption(key())
    .addOption(data())
    .action(async (name: string, o: { key: string; data: string }) => {
      const { key } = await (await store(o.data)).update(name, { publicKey: await readKey(o.key) });
      io.out(`namespace ${name}: key ${key?.key_id} registered\n`);
    });
  ns.command("token")
    .description("issue a new publish token for a namespace")
    .argument("<namespace>")
    .option("--revoke", "revoke every earlier token of the namespace")
    .addOption(data())
    .action(async (name: string, o: { revoke?: boolean; data: string }) => {
      const { token } = await (await store(o.data)).update(name, { token: true, revokeTokens: o.revoke === true });
      io.out(`token (shown once, keep it secret): ${token}\n`);
    });
  program
    .command("yank")
    .description("mark a version yanked: still downloadable, no longer chosen for new locks")
    .argument("<release>", "namespace/name@version")
    .addOption(data())
    .action(async (release: string, o: { data: string }) => {
      const m = /^([^@]+)\/([^@/]+)@(.+)$/.exec(release);
      const [ns = "", name = "", version = ""] = m?.slice(1) ?? [];
      if (!m || addressProblem(`${ns}/${name}`) || semver.valid(version) !== version)
        throw new RegistryError(2, "CIG_USAGE", `"${release}" is not namespace/name@version`, "Write it like acme/deploy@2.1.0.");
      const dir = new DataDir(o.data);
      await dir.prepare();
      if (!(await new VersionStore(dir).yank({ ns, name, version })))
        throw new RegistryError(
          1,
          "CIG_REGISTRY_NOT_FOUND",
          `no version ${ns}/${name} ${version} in ${o.data}`,
          "Check the name and version.",
        );
      io.out(`${ns}/${name} ${version} is yanked\n`);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      io.err(`error[CIG_USAGE]: ${err.message.replace(/^error: /, "")}\n  hint: see \`cig-registry --help\`\n`);
      return 2;
    }
    const { code, hint } = describe(err);
    io.err(`error[${code}]: ${(err as Error)?.message ?? String(err)}\n${hint ? `  hint: ${hint}\n` : ""}`);
    return code === "CIG_USAGE" ? 2 : 1;
  }
}

const SYSTEM_HINTS: Record<string, string> = {
  EADDRINUSE: "Another process listens on that port: choose another with --port (0: any free port).",
  EACCES: "Check the permissions of the data directory (and ports below 1024 need privileges).",
  EPERM: "Check the permissions of the data directory.",
  ENOENT: "Check the --data path.",
  ENOSPC: "The disk is full.",
};

/** The code and hint to print for a failure: ours, core's, or the system's (a port in use, a path). */
function describe(err: unknown): { code: string; hint: string } {
  if (err instanceof RegistryError || isCigError(err)) return { code: err.code, hint: err.hint };
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === "string" && /^E[A-Z]+$/.test(errno))
    return { code: "CIG_REGISTRY_SYSTEM", hint: SYSTEM_HINTS[errno] ?? "Check the data directory and the options." };
  return { code: "CIG_INTERNAL", hint: "This is a bug in cig-registry; please report it with the message." };
}

async function store(dir: string): Promise<NamespaceStore> {
  const data = new DataDir(dir);
  await data.prepare();
  return new NamespaceStore(data);
}

/**
 * `--key` is the key itself or a file holding it — the saved output of
 * `cig keygen` also names the key id, so the key is picked out by its length.
 */
async function readKey(value: string): Promise<string> {
  if (value.startsWith("ed25519:")) return value;
  try {
    const text = await readFile(value, "utf8");
    return /ed25519:[A-Za-z0-9+/]{43}=/.exec(text)?.[0] ?? text.trim();
  } catch (err) {
    throw new RegistryError(
      2,
      "CIG_USAGE",
      `--key ${value}: not a key, and not a readable file (${(err as NodeJS.ErrnoException).code})`,
      'Pass "ed25519:<base64>" or a file holding it.',
    );
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("a port is 0 to 65535 (0: any free port)");
  return n;
}
