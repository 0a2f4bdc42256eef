// Timed plugin starts through the real core, shared by bench/plugin-host.mjs
// and the cold-start child (bench/lib/cold-start.mjs).
import { fileURLToPath } from "node:url";
import { CORE_VERSION, DEFAULT_TIMEOUTS, PluginHost, PluginProcess } from "../../core/dist/index.js";
import { PluginRpc } from "../../core/dist/plugin-host/plugin-client.js";
import {
  DetectRequestSchema,
  DetectResponseSchema,
  InfoRequestSchema,
  InfoResponseSchema,
  ShutdownRequestSchema,
  ShutdownResponseSchema,
  SUPPORTED_PROTOCOLS,
} from "../../proto/dist/src/index.js";

const enc = new TextEncoder();
const repoFile = (path, text) => {
  const content = enc.encode(text);
  return { path, size: BigInt(content.length), mode: 0o644, content };
};

/** A small, realistic Detect request: the files lang/node inlines. */
export const DETECT_REQ = {
  repo: {
    root: "/bench/repo",
    files: [
      repoFile(
        "package.json",
        JSON.stringify({ name: "bench-app", version: "1.0.0", packageManager: "pnpm@9.12.0", engines: { node: ">=20.11" } }, null, 2),
      ),
      repoFile(".nvmrc", "20.19.0\n"),
      repoFile("pnpm-lock.yaml", ""),
    ],
  },
};

/** What PluginHost passes to PluginProcess.start by default. */
export const PROCESS_OPTIONS = {
  coreVersion: CORE_VERSION,
  sink: () => {},
  logLevel: "info",
  startTimeoutMs: 10_000,
  maxMessageBytes: 32 * 1024 * 1024,
  extraEnv: [],
  protocols: SUPPORTED_PROTOCOLS,
};

/** A stand-in plugin that writes its handshake line at once. */
export const INSTANT = fileURLToPath(new URL("../instant-handshake.sh", import.meta.url));

/** PluginHost.start (spawn, handshake, Info) then one Detect, then shutdown. */
export async function hostFirstCall(cmd) {
  const t0 = performance.now();
  const host = await PluginHost.start([cmd]);
  const tReady = performance.now();
  await host.plugins[0].detect(DETECT_REQ);
  const tFirst = performance.now();
  await host.shutdown();
  return { ready: tReady - t0, first: tFirst - t0, shutdown: performance.now() - tFirst };
}

/** The same path one level down (what PluginHost.start does), timing handshake line, Info and Detect apart. */
export async function hostBreakdown(cmd) {
  const t0 = performance.now();
  const proc = await PluginProcess.start(cmd, PROCESS_OPTIONS);
  const tHandshake = performance.now();
  const rpc = new PluginRpc(proc, DEFAULT_TIMEOUTS);
  try {
    await rpc.unary("info", InfoRequestSchema, InfoResponseSchema, { coreProtocol: proc.handshake.protocol, coreVersion: CORE_VERSION });
    const tInfo = performance.now();
    await rpc.unary("detect", DetectRequestSchema, DetectResponseSchema, DETECT_REQ);
    const tDetect = performance.now();
    return { handshake: tHandshake - t0, info: tInfo - tHandshake, detect: tDetect - tInfo, first: tDetect - t0 };
  } finally {
    await rpc.unary("shutdown", ShutdownRequestSchema, ShutdownResponseSchema, {}).catch(() => undefined);
    await proc.terminate(1000);
  }
}

/** The core's own work around a plugin start: spawn → handshake of the stand-in plugin. */
export async function coreFloor() {
  const t0 = performance.now();
  const proc = await PluginProcess.start({ command: INSTANT }, PROCESS_OPTIONS);
  const wall = performance.now() - t0;
  await proc.terminate(0);
  return wall;
}
