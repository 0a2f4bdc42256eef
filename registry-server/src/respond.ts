import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError } from "./registry-error.js";

/** Writes a JSON answer. Everything but archives is JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends `{"error":{"code","message"}}`; anything but a RegistryError is a 500. */
export function respondError(req: IncomingMessage, res: ServerResponse, err: unknown, log: (line: string) => void): void {
  const known = err instanceof RegistryError ? err : undefined;
  const status = known?.status ?? 500;
  // A server-side failure names files and stacks: those go to the operator's log, not to the client.
  if (status >= 500) log(`cig-registry: ${req.method} ${req.url}: ${known?.message ?? (err as Error)?.stack ?? String(err)}`);
  if (res.headersSent) return void res.destroy();
  const headers: Record<string, string> = { ...known?.headers };
  if (!req.complete) drainOrCut(req);
  const message = status >= 500 ? "the registry failed; its operator can see why in its log" : (known?.message ?? "");
  sendJson(res, status, { error: { code: known?.code ?? "CIG_INTERNAL", message } }, headers);
}

/**
 * Answering before the body is read (401, 409, 413): the rest is read and
 * dropped, and the connection cut if it has not ended within a few seconds.
 * Not `Connection: close`: node then destroys the socket as soon as the
 * answer is written, with the body still arriving, and the kernel's reset
 * can reach the client before the answer does (EPIPE instead of a 413).
 */
function drainOrCut(req: IncomingMessage): void {
  req.resume();
  const cut = setTimeout(() => req.socket.destroy(), 2000).unref();
  req.once("end", () => clearTimeout(cut));
}
