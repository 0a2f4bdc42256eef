/** The parsed handshake line a plugin writes to the handshake fd. */
export interface Handshake {
  /** Format version of the line itself; 1. */
  handshakeVersion: number;
  /** The plugin protocol version the plugin chose. */
  protocol: number;
  transport: "stdio" | "unix";
  /** "fd:0" for stdio; a socket path for unix. */
  address: string;
}

/** Why a handshake line was rejected, in words for the user. */
export type HandshakeParse = { ok: true; handshake: Handshake } | { ok: false; reason: string };

/**
 * Parses `1|<protocol>|<transport>|<address>|grpc[|more…]`. Unknown trailing
 * fields are ignored so that future plugins can add some.
 */
export function parseHandshakeLine(line: string): HandshakeParse {
  const fields = line.trim().split("|");
  if (fields.length < 5) {
    return { ok: false, reason: `expected 5 "|"-separated fields, got ${fields.length}` };
  }
  const [hv, proto, transport, address, rpc] = fields as [string, string, string, string, string];
  if (hv !== "1") return { ok: false, reason: `unknown handshake version "${hv}" (this core reads 1)` };
  if (!/^[1-9]\d{0,5}$/.test(proto)) return { ok: false, reason: `protocol "${proto}" is not a positive integer` };
  if (transport !== "stdio" && transport !== "unix") {
    return { ok: false, reason: `unknown transport "${transport}" (expected stdio or unix)` };
  }
  if (rpc !== "grpc") return { ok: false, reason: `unknown rpc protocol "${rpc}" (expected grpc)` };
  if (transport === "unix" && !address.startsWith("/")) {
    return { ok: false, reason: `unix transport needs an absolute socket path, got "${address}"` };
  }
  return { ok: true, handshake: { handshakeVersion: 1, protocol: Number(proto), transport, address } };
}
