import { mkdtempSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { CigError } from "../errors/cig-error.js";

/** grpc-js channel options for a plugin link. */
export function channelOptions(maxMessageBytes: number): grpc.ChannelOptions {
  return {
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    // A stdio link cannot be redialled: never let grpc-js close it for idleness.
    "grpc.client_idle_timeout_ms": 2_147_483_647,
    "grpc.enable_retries": 0,
    // Channelz bookkeeping costs ~0.1 ms a call; nobody inspects these channels.
    "grpc.enable_channelz": 0,
  };
}

/**
 * Listens on a unix socket at `path`, lets grpc-js connect to it through its
 * public API, and returns the client with the accepted (paused, never read)
 * end, which becomes the plugin's fd 0 and fd 1.
 */
export async function connectThroughHandoff(path: string, maxMessageBytes: number): Promise<{ client: grpc.Client; socket: Socket }> {
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, resolve);
  });
  try {
    const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
    const client = new grpc.Client(`unix:${path}`, grpc.credentials.createInsecure(), channelOptions(maxMessageBytes));
    client.getChannel().getConnectivityState(true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        client.close();
        reject(
          new CigError(
            "CIG_PLUGIN_TRANSPORT",
            "grpc-js did not connect to the plugin socket within 5 s",
            "This is a bug in cig or a broken temp directory; check that $TMPDIR is writable.",
          ),
        );
      }, 5000);
    });
    const socket = await Promise.race([accepted, timeout]).finally(() => clearTimeout(timer));
    return { client, socket };
  } finally {
    // No second connection is ever accepted; the socket file goes with the server.
    server.close();
  }
}

/** A fresh private (0700) directory for the handoff socket. */
export function privateDir(): string {
  // sun_path is 108 bytes: fall back to /tmp when TMPDIR is long (macOS).
  const base = tmpdir().length > 60 ? "/tmp" : tmpdir();
  return mkdtempSync(join(base, "cig-"));
}
