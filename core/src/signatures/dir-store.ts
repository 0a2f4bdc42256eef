import { randomBytes } from "node:crypto";
import { access, link, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PassManifest } from "./pass-manifest.js";
import { isMarkerOf, markerName, markerPrefix, type PassStore } from "./pass-store.js";
import { signatureError } from "./signature-error.js";

/** A {@link PassStore} in a local directory. */
export interface DirStore extends PassStore {
  readonly dir: string;
}

/**
 * A pass store in `dir` (created on the first record): one marker file per
 * pass, named by {@link markerName}, holding its JSON manifest. A marker is
 * written to a temporary file and then hard-linked to its name: link fails
 * when the name exists, so a marker is never overwritten and never seen half
 * written, even with concurrent recorders (CI jobs sharing a cache dir).
 */
export function createDirStore(dir: string): DirStore {
  // One directory listing serves every last() call of a run (hundreds of variants, thousands of
  // markers); this store's own records invalidate it. has() always asks the filesystem.
  let listing: Promise<string[]> | undefined;
  const list = () => {
    listing ??= readdir(dir).catch((err: unknown) => {
      listing = undefined;
      if (isCode(err, "ENOENT", "ENOTDIR")) return [];
      throw storeFailed(dir, err);
    });
    return listing;
  };
  return {
    dir,
    async has(variant, signature) {
      const path = join(dir, markerName(variant, signature));
      try {
        await access(path);
        return true;
      } catch (err) {
        if (isCode(err, "ENOENT", "ENOTDIR")) return false;
        throw storeFailed(dir, err);
      }
    },
    async last(variant) {
      const prefix = markerPrefix(variant);
      const names = (await list()).filter((n) => isMarkerOf(n, prefix));
      let best: { manifest: PassManifest; name: string } | undefined;
      for (const name of names) {
        const manifest = await readManifest(join(dir, name));
        if (!manifest) continue;
        // Newest recorded_at wins; equal times fall back to the name, so every reader picks the same.
        const newer =
          !best ||
          manifest.recorded_at > best.manifest.recorded_at ||
          (manifest.recorded_at === best.manifest.recorded_at && name > best.name);
        if (newer) best = { manifest, name };
      }
      return best?.manifest;
    },
    async record(manifest) {
      const final = join(dir, markerName(manifest.variant, manifest.signature));
      listing = undefined;
      const data = `${JSON.stringify(manifest)}\n`;
      const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(8).toString("hex")}`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, data, { flag: "wx" });
        await link(tmp, final).catch(async (err: unknown) => {
          if (isCode(err, "EEXIST")) return;
          // A filesystem without hard links: exclusive create instead (a reader could see it mid-write).
          if (!isCode(err, "EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS")) throw err;
          await writeFile(final, data, { flag: "wx" }).catch((e: unknown) => {
            if (!isCode(e, "EEXIST")) throw e;
          });
        });
      } catch (err) {
        throw storeFailed(dir, err);
      } finally {
        await rm(tmp, { force: true });
      }
    },
  };
}

/** A marker's manifest, or undefined when it cannot be parsed (a corrupt marker is not a pass to compare with). */
async function readManifest(path: string): Promise<PassManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as PassManifest;
    return parsed?.version === 1 && typeof parsed.recorded_at === "string" && parsed.components ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException)?.code ?? "");
}

function storeFailed(dir: string, err: unknown) {
  return signatureError(
    "CIG_SIG_STORE_FAILED",
    `the pass store ${dir} failed: ${(err as Error).message}`,
    "Check that the directory is writable (or choose another with --store dir:PATH / CIG_PASS_STORE).",
    err,
  );
}
