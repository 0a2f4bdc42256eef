#!/usr/bin/env node
// The far end of the round-trip floors in bench/plugin-host.mjs, as a separate
// process like a plugin: `node echo-peer.mjs <net|http2> <unix socket path>`.
// net: echoes every chunk on a plain unix socket. http2: answers every
// request with its body (no gRPC). Prints "ready\n" once listening.
import { createServer as createHttp2Server } from "node:http2";
import { createServer } from "node:net";

const [mode, path] = process.argv.slice(2);
const ready = () => process.stdout.write("ready\n");

if (mode === "net") {
  const server = createServer((sock) => {
    sock.setNoDelay?.(true);
    sock.on("data", (d) => sock.write(d));
    sock.on("close", () => process.exit(0));
  });
  server.listen(path, ready);
} else if (mode === "http2") {
  const server = createHttp2Server();
  server.on("stream", (stream) => {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/octet-stream" });
      stream.end(Buffer.concat(chunks));
    });
  });
  server.on("session", (session) => session.on("close", () => process.exit(0)));
  server.listen(path, ready);
} else {
  process.stderr.write("usage: echo-peer.mjs <net|http2> <unix socket path>\n");
  process.exit(2);
}
