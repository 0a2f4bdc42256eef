import type { PluginInfo } from "@cig/proto";
import { CigError } from "../errors/cig-error.js";

const NAME = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const CAPABILITY = /^[a-z0-9-]+:(?:\*|[a-z0-9._\-/]+)$/;

/** Checks a plugin's Info reply; returns it or throws CIG_PLUGIN_BAD_INFO / CIG_PLUGIN_PROTOCOL_MISMATCH. */
export function validatePluginInfo(info: PluginInfo | undefined, protocol: number, display: string): PluginInfo {
  const bad = (what: string) =>
    new CigError(
      "CIG_PLUGIN_BAD_INFO",
      `plugin ${display} returned bad Info: ${what}`,
      'Fix the plugin\'s info (see docs/plugin-protocol.md, "Info") and check it with `cig plugin test`.',
      { plugin: display, hook: "info" },
    );
  if (!info) throw bad("no PluginInfo in the reply");
  if (!NAME.test(info.name)) throw bad(`name ${JSON.stringify(info.name)} is not "namespace/name" in lower case`);
  if (!SEMVER.test(info.version)) throw bad(`version ${JSON.stringify(info.version)} is not a semantic version`);
  if (info.protocol !== protocol) {
    throw new CigError(
      "CIG_PLUGIN_PROTOCOL_MISMATCH",
      `plugin ${info.name} negotiated protocol ${protocol} in its handshake but reports ${info.protocol} in Info`,
      "The plugin must report the negotiated protocol in PluginInfo.protocol; report this to its author.",
      { plugin: info.name, hook: "info" },
    );
  }
  for (const list of [info.capabilities, info.requires, info.conflictsWith]) {
    for (const cap of list) if (!CAPABILITY.test(cap)) throw bad(`capability ${JSON.stringify(cap)} is not "namespace:name"`);
  }
  return info;
}
