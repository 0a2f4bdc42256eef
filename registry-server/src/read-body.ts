import { createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { finished } from "node:stream/promises";
import { tooLarge } from "./registry-error.js";

/**
 * Spools a request body of at most `limit` bytes to `file` (a new file in
 * the publish's directory under tmp/): a slow upload holds disk, not memory,
 * and one cut short by a crash is swept away with tmp/ at the next start.
 * A declared Content-Length over the limit is refused before a byte is read;
 * a chunked body is refused as soon as it passes the limit. The rest of a
 * refused body is left to the server's lingering close.
 */
export function spoolBody(req: IncomingMessage, file: string, limit: number): Promise<number> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(tooLarge(`the body is ${declared} bytes, over the ${limit}-byte limit`));
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file, { flags: "wx" });
    let total = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      req.off("data", onData).off("end", onEnd).off("error", finish).off("close", onClose);
      if (err) {
        out.destroy();
        // Discard the rest rather than stall the socket: the refusal still has to get out.
        req.resume();
        reject(err);
      } else {
        out.end();
        finished(out).then(() => resolve(total), reject);
      }
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) return finish(tooLarge(`the body is over the ${limit}-byte limit`));
      if (!out.write(chunk)) {
        req.pause();
        out.once("drain", () => req.resume());
      }
    };
    const onEnd = () => finish();
    const onClose = () => {
      if (!req.complete) finish(new Error("the client went away during the upload"));
    };
    out.on("error", (err) => (settled ? undefined : finish(err)));
    req.on("data", onData).on("end", onEnd).on("error", finish).on("close", onClose);
  });
}
