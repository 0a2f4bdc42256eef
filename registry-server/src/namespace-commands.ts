import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { CliIo } from "./cli.js";
import { DataDir } from "./data-dir.js";
import { NamespaceStore } from "./namespace-store.js";
import { RegistryError } from "./registry-error.js";

/**
 * `cig-registry namespace add | add-key | token`: the operator's side of
 * publishing. Tokens are printed once; only their hashes are stored.
 */
export function addNamespaceCommands(program: Command, io: CliIo, data: () => Option): void {
  const key = () =>
    new Option("--key <key>", 'a public key "ed25519:<base64>" as `cig keygen` prints it, or a file holding one').makeOptionMandatory();
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
      400,
      "CIG_USAGE",
      `--key ${value}: not a key, and not a readable file (${(err as NodeJS.ErrnoException).code})`,
      'Pass "ed25519:<base64>" or a file holding it.',
    );
  }
}
