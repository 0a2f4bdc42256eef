#!/usr/bin/env node
// A cig plugin for bench/plugin-host.mjs: its Generate streams N responses of
// one K-byte fragment each, with N and K from the request target
// "stream:<N>:<K>". Detect echoes nothing. Imported by relative path because
// bench/ is no workspace package (no node_modules of its own).
import { definePlugin, servePlugin } from "../sdk/dist/index.js";

const payloads = new Map();
/** One K-byte ASCII string per size, built once: the bench measures the link, not string building. */
function payload(bytes) {
  let s = payloads.get(bytes);
  if (s === undefined) {
    s = "x".repeat(bytes);
    payloads.set(bytes, s);
  }
  return s;
}

function parseTarget(target) {
  const m = /^stream:(\d+):(\d+)$/.exec(target);
  if (!m) throw new Error(`target must be "stream:<count>:<bytes>", got ${JSON.stringify(target)}`);
  return { count: Number(m[1]), bytes: Number(m[2]) };
}

servePlugin(
  definePlugin({
    info: {
      name: process.argv[2] || "bench/stream",
      version: "0.0.0",
      description: "Benchmark plugin: streams Generate responses of a requested size",
      capabilities: [`bench:${process.argv[2] || "stream"}`],
    },
    detect: () => ({ signals: ["bench"] }),
    async *generate(req) {
      const { count, bytes } = parseTarget(req.target);
      const content = payload(bytes);
      for (let i = 0; i < count; i++) {
        yield { fragments: [{ path: `out/${i}.txt`, content, order: i, owner: "bench/stream" }] };
      }
    },
  }),
);
