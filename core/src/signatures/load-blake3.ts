import { createRequire } from "node:module";
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
 *
 * The native addon first, found beside the blake3 package: blake3's own
 * postinstall step points the package at the addon only when the addon was
 * built before it ran, which pnpm does not promise, and the WASM build hashes
 * ~6× slower (17 vs 3 ms for 5 MB here). Both give the same digests.
 */
export function loadBlake3(): Promise<Blake3Hex> {
  loaded ??= (async () => {
    try {
      const blake3 = nativeBlake3() ?? (await import("blake3"));
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

type Blake3Module = { load(): Promise<void> | void; hash(data: Uint8Array): Buffer };

// blake3's native addon package (its optional dependency), or undefined when it is not installed or not built.
function nativeBlake3(): Blake3Module | undefined {
  try {
    const require = createRequire(import.meta.url);
    const fromBlake3 = createRequire(require.resolve("blake3"));
    return fromBlake3("@c4312/blake3-native") as Blake3Module;
  } catch {
    return undefined;
  }
}
