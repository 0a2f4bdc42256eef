import type { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { HANDSHAKE_FD } from "./plugin-env.js";
import type { ExitInfo } from "./process-group.js";

/** What happened between spawn and the handshake line. */
export type HandshakeOutcome =
  | { kind: "line"; line: string }
  | { kind: "exited"; exit: ExitInfo }
  | { kind: "timeout" }
  | { kind: "spawn-error"; message: string };

/** Waits for the handshake line on fd 3, the process's exit, a spawn error or the timeout. */
export function readHandshake(child: ChildProcess, exited: Promise<ExitInfo>, timeoutMs: number): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const fd3 = child.stdio[HANDSHAKE_FD] as Readable;
    let buf = "";
    const timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    const done = (o: HandshakeOutcome) => {
      clearTimeout(timer);
      fd3.removeAllListeners("data");
      resolve(o);
    };
    child.once("error", (err) => done({ kind: "spawn-error", message: err.message }));
    fd3.setEncoding("utf8");
    fd3.on("data", (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf("\n");
      if (nl >= 0) done({ kind: "line", line: buf.slice(0, nl) });
      else if (buf.length > 4096) done({ kind: "line", line: buf });
    });
    // Drain anything after the line so a chatty plugin cannot block on fd 3.
    fd3.on("error", () => {});
    fd3.once("end", () => {
      if (buf !== "") done({ kind: "line", line: buf });
    });
    exited.then((exit) => {
      // Give a line written just before exiting the chance to arrive first.
      setTimeout(() => done(buf !== "" ? { kind: "line", line: buf } : { kind: "exited", exit }), 20);
    });
  });
}
