import { signatureError } from "./signature-error.js";

/** BLAKE3-256 of `data`, as 64 lowercase hex digits. */
export type Blake3Hex = (data: Uint8Array) => string;

let loaded: Promise<Blake3Hex> | undefined;

/**
 * The BLAKE3 hash function, loaded on first use: a dynamic import keeps every
 * other command from paying for the module, and `load()` must finish before
 * the first hash (it instantiates the WebAssembly build; a no-op natively).
 * One-shot `hash()` over a whole buffer, not `createHash()`: each WASM hasher
 * instance holds wasm memory until it is garbage-collected.
 */
export function loadBlake3(): Promise<Blake3Hex> {
  loaded ??= (async () => {
    try {
      const blake3 = await import("blake3");
      await blake3.load();
      return (data: Uint8Array) => blake3.hash(data).toString("hex");
    } catch (err) {
      loaded = undefined;
      throw signatureError(
        "CIG_SIG_HASH_UNAVAILABLE",
        `cannot load BLAKE3 (the blake3 package): ${(err as Error).message}`,
        "Reinstall cig's dependencies (`pnpm install`); the blake3 package falls back to WebAssembly when its native build is missing.",
        err,
      );
    }
  })();
  return loaded;
}
