import { Command, CommanderError } from "commander";
import { CigError, isCigError } from "../errors/cig-error.js";
import { exitCodeFor } from "../errors/error-codes.js";
import { CORE_VERSION } from "../version.js";
import { type CliContext, cliContext, type GlobalOptions, UsageError } from "./cli-context.js";
import { pluginInfo, pluginTest } from "./plugin-commands.js";
import { formatError } from "./report-error.js";
import { processTerminal, type Terminal } from "./terminal.js";

/**
 * Runs the cig CLI and resolves to the process exit code. Every failure ends
 * here as a CigError with a code, a message and a hint; no stack traces.
 */
export async function main(argv: readonly string[], term: Terminal = processTerminal()): Promise<number> {
  let json = argv.includes("--json");
  const program = new Command("cig")
    .description("One provider-agnostic cig.toml, deterministic CI configs for every platform")
    .version(CORE_VERSION, "-V, --version")
    .option("-C, --cwd <dir>", "run as if started in <dir> (env CIG_CWD)")
    .option("-v, --verbose", "show plugin logs and debug output")
    .option("-q, --quiet", "print errors only")
    .option("--json", "machine-readable output on stdout")
    .option("--plugin-start-timeout <ms>", "how long a plugin may take to write its handshake line")
    .option("--plugin-timeout <ms>", "deadline for every plugin hook call")
    .exitOverride()
    .configureOutput({ writeOut: (s) => term.out(s), writeErr: (s) => term.err(s), outputError: () => {} })
    .showSuggestionAfterError(true);

  const ctx = (): CliContext => {
    const opts = program.opts<GlobalOptions>();
    json = opts.json === true;
    return cliContext(opts, term);
  };
  let exit = 0;
  const plugin = program.command("plugin").description("inspect and test plugin executables");
  plugin
    .command("info")
    .description("start plugins and print their handshake and Info")
    .argument("<plugins...>", "std plugin names (lang/node), paths, or names found on PATH as cig-plugin-<ns>-<name>")
    .option("--detect", "also run detect on the repository in --cwd")
    .action(async (specs: string[], opts: { detect?: boolean }) => {
      exit = await pluginInfo(ctx(), specs, opts);
    });
  plugin
    .command("test")
    .description("run the conformance suite against any plugin executable")
    .argument("<command>", "the plugin executable (path, std name, or PATH name)")
    .argument("[args...]", "arguments for the executable (put them after --)")
    .action(async (command: string, args: string[]) => {
      exit = await pluginTest(ctx(), command, args);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      return report(term, json, new CigError("CIG_USAGE", err.message.replace(/^error: /, ""), "Run `cig --help` for usage."));
    }
    if (err instanceof UsageError) return report(term, json, new CigError("CIG_USAGE", err.message, "Run `cig --help` for usage."));
    if (isCigError(err)) return report(term, json, err);
    const message = err instanceof Error ? err.message : String(err);
    return report(
      term,
      json,
      new CigError(
        "CIG_INTERNAL",
        `internal error: ${message}`,
        "This is a bug in cig. Re-run with --verbose and report it with the output.",
        {},
        { cause: err },
      ),
    );
  }
}

function report(term: Terminal, json: boolean, err: CigError): number {
  if (json) term.out(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
  else term.err(formatError(term, err));
  return exitCodeFor(err.code);
}
