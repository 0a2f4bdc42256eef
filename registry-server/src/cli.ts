import { addressProblem } from "@cig/core/registry";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import semver from "semver";
import { describeError } from "./cli-errors.js";
import { DataDir } from "./data-dir.js";
import { addNamespaceCommands } from "./namespace-commands.js";
import { RegistryError } from "./registry-error.js";
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
  addNamespaceCommands(program, io, data);
  program
    .command("yank")
    .description("mark a version yanked: still downloadable, no longer chosen for new locks")
    .argument("<release>", "namespace/name@version")
    .addOption(data())
    .action(async (release: string, o: { data: string }) => {
      const m = /^([^@]+)\/([^@/]+)@(.+)$/.exec(release);
      const [ns = "", name = "", version = ""] = m?.slice(1) ?? [];
      if (!m || addressProblem(`${ns}/${name}`) || semver.valid(version) !== version)
        throw new RegistryError(400, "CIG_USAGE", `"${release}" is not namespace/name@version`, "Write it like acme/deploy@2.1.0.");
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
    const { code, hint } = describeError(err);
    io.err(`error[${code}]: ${(err as Error)?.message ?? String(err)}\n${hint ? `  hint: ${hint}\n` : ""}`);
    return code === "CIG_USAGE" ? 2 : 1;
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("a port is 0 to 65535 (0: any free port)");
  return n;
}
