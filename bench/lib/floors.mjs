// Round-trip floors for the unary numbers: the same small payload bounced
// off a second Node process over a unix socket, once on a plain socket and
// once as an HTTP/2 request (node:http2, what grpc-js is built on). What a
// gRPC call costs on top of these is grpc-js and protobuf.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect as http2Connect } from "node:http2";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bareEnv } from "./processes.mjs";
import { summarize } from "./stats.mjs";

const PEER = fileURLToPath(new URL("echo-peer.mjs", import.meta.url));

async function withPeer(mode, fn) {
  const dir = mkdtempSync(join(tmpdir(), "cig-bench-"));
  const path = join(dir, "s.sock");
  const child = spawn(process.execPath, [PEER, mode, path], { env: bareEnv(), stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`echo peer exited ${code}`)));
      child.stdout.once("data", resolve);
    });
    return await fn(path);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(call, { warmup, reps }) {
  for (let i = 0; i < warmup; i++) await call();
  const samples = new Array(reps);
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await call();
    samples[i] = performance.now() - t0;
  }
  return summarize(samples);
}

/** Sequential round trips of `payload` on a plain unix socket. */
export function netFloor(payload, opts) {
  return withPeer("net", async (path) => {
    const sock = connect(path);
    await new Promise((resolve, reject) => sock.once("connect", resolve).once("error", reject));
    sock.setNoDelay?.(true);
    let pending;
    let got = 0;
    sock.on("data", (d) => {
      got += d.length;
      if (got >= payload.length && pending) {
        got = 0;
        const r = pending;
        pending = undefined;
        r();
      }
    });
    const call = () =>
      new Promise((resolve) => {
        pending = resolve;
        sock.write(payload);
      });
    try {
      return await measure(call, opts);
    } finally {
      sock.destroy();
    }
  });
}

/** Sequential HTTP/2 POSTs of `payload`, echoed back, on a unix socket. */
export function http2Floor(payload, opts) {
  return withPeer("http2", async (path) => {
    const session = http2Connect("http://localhost", { createConnection: () => connect(path) });
    await new Promise((resolve, reject) => session.once("connect", resolve).once("error", reject));
    const call = () =>
      new Promise((resolve, reject) => {
        const req = session.request({ ":method": "POST", ":path": "/echo", "content-type": "application/octet-stream" });
        req.on("data", () => {});
        req.on("end", resolve);
        req.on("error", reject);
        req.end(payload);
      });
    try {
      return await measure(call, opts);
    } finally {
      session.destroy();
    }
  });
}
