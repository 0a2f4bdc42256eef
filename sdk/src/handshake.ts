import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, SUPPORTED_PROTOCOLS } from "@cig/proto";

/** Version of the handshake line format itself (its first field). */
export const HANDSHAKE_VERSION = 1;

/** What the core told the plugin through its environment. */
export interface CoreOffer {
  /** Protocol versions the core speaks. */
  protocols: number[];
  /** Transports the core accepts, e.g. ["stdio", "unix"]. */
  transports: string[];
  coreVersion: string;
  /** Where to write the handshake line. */
  handshakeFd: number;
  /** A private directory for a unix-transport socket. */
  unixDir: string | undefined;
}

/** The friendly text for someone who ran a plugin by hand. */
export const NOT_FROM_CORE_MESSAGE =
  "This is a cig plugin. It is started by cig, not by hand: try `cig plugin info <path>` or\n" +
  "`cig plugin test <path>` instead. (It refuses to serve because CIG_PLUGIN_MAGIC_COOKIE is not set.)\n";

/** Reads the core's offer from the environment; undefined when not started by cig. */
export function readCoreOffer(env: NodeJS.ProcessEnv): CoreOffer | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return undefined;
  const protocols = (env.CIG_PLUGIN_PROTOCOL_VERSIONS ?? "")
    .split(",")
    .map((v) => Number.parseInt(v.trim(), 10))
    .filter((v) => Number.isInteger(v) && v > 0);
  const fd = Number.parseInt(env.CIG_PLUGIN_HANDSHAKE_FD ?? "3", 10);
  return {
    protocols,
    transports: (env.CIG_PLUGIN_TRANSPORTS ?? "stdio").split(",").map((t) => t.trim()),
    coreVersion: env.CIG_CORE_VERSION ?? "",
    handshakeFd: Number.isInteger(fd) && fd >= 0 ? fd : 3,
    unixDir: env.CIG_PLUGIN_UNIX_DIR || undefined,
  };
}

/**
 * The newest protocol both sides speak. Without overlap, the plugin's own
 * newest version, so that the core can name both sides in its error.
 */
export function negotiateProtocol(offer: CoreOffer, ours: readonly number[] = SUPPORTED_PROTOCOLS): number {
  const common = ours.filter((v) => offer.protocols.includes(v));
  return common.length > 0 ? Math.max(...common) : Math.max(...ours);
}

/** Formats the handshake line: `1|<protocol>|<transport>|<address>|grpc`. */
export function handshakeLine(protocol: number, transport: "stdio" | "unix", address: string): string {
  return `${HANDSHAKE_VERSION}|${protocol}|${transport}|${address}|grpc\n`;
}
