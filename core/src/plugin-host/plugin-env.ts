import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, SUPPORTED_PROTOCOLS } from "@cig/proto";

/**
 * Variables a plugin may see from the core's environment. Everything else
 * (tokens, cloud credentials, NODE_OPTIONS, NODE_EXTRA_CA_CERTS, which costs
 * ~55 ms per Node start) is withheld; users add names with `extraAllowed`.
 */
export const ENV_ALLOW_LIST: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "SYSTEMROOT",
  "NO_COLOR",
  "CI",
];
const ALLOWED_PREFIXES = ["LC_"];

/** The handshake fd: the plugin writes its handshake line here. */
export const HANDSHAKE_FD = 3;

export interface PluginEnvOptions {
  coreVersion: string;
  /** A private directory where unix-transport plugins create their socket. */
  unixDir: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Extra variable names to pass through. */
  extraAllowed?: readonly string[];
  protocols?: readonly number[];
}

/** Builds the environment of a plugin process from the core's. */
export function pluginEnv(parent: NodeJS.ProcessEnv, opts: PluginEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const allowed = new Set([...ENV_ALLOW_LIST, ...(opts.extraAllowed ?? [])]);
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (allowed.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p))) env[key] = value;
  }
  env[MAGIC_COOKIE_KEY] = MAGIC_COOKIE_VALUE;
  env.CIG_PLUGIN_PROTOCOL_VERSIONS = (opts.protocols ?? SUPPORTED_PROTOCOLS).join(",");
  env.CIG_PLUGIN_TRANSPORTS = "stdio,unix";
  env.CIG_PLUGIN_HANDSHAKE_FD = String(HANDSHAKE_FD);
  env.CIG_PLUGIN_UNIX_DIR = opts.unixDir;
  env.CIG_CORE_VERSION = opts.coreVersion;
  env.CIG_LOG_LEVEL = opts.logLevel;
  // A registry plugin's files are hash-checked before every start (docs/registry.md): a Python
  // plugin must not leave __pycache__ beside its modules, or its next start would be refused.
  env.PYTHONDONTWRITEBYTECODE = "1";
  return env;
}
