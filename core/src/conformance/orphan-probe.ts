// Run by the conformance suite as a throwaway core: starts one plugin, prints
// its pid, and waits to be SIGKILLed.
import { PluginHost } from "../plugin-host/plugin-host.js";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: orphan-probe <plugin command> [args...]\n");
  process.exit(2);
}
try {
  const host = await PluginHost.start([{ command, args }]);
  process.stdout.write(`${host.plugins[0]?.process.pid ?? 0}\n`);
  setInterval(() => {}, 60_000);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
