import { type ArchiveEntry, type ModuleManifest, parseModuleManifest, type ReleaseDocument } from "@cig/core/registry";
import { isCigError, unprocessable } from "./registry-error.js";

function manifestOf(entries: readonly ArchiveEntry[], label: string): ModuleManifest {
  const file = entries.find((e) => e.path === "module.toml" && e.type === "file");
  if (!file) throw unprocessable("CIG_MODULE_MANIFEST_INVALID", `the archive of ${label} has no module.toml at its root`);
  try {
    return parseModuleManifest(file.data.toString("utf8"), "module.toml", { requireEntrypoint: true });
  } catch (err) {
    throw isCigError(err) ? unprocessable(err.code, `the archive of ${label}: ${err.message}`) : err;
  }
}

/**
 * An archive's module.toml must name the release and say what the signed
 * document says (protocols, requires) — or resolution would act on another
 * plugin than the one that runs — and its entrypoint must be an executable
 * file of the archive. Throws a 422 RegistryError otherwise.
 */
export function checkManifest(entries: readonly ArchiveEntry[], doc: ReleaseDocument, label: string): void {
  const m = manifestOf(entries, label);
  const bad = (message: string) => unprocessable("CIG_MODULE_MANIFEST_INVALID", `module.toml of ${label}: ${message}`);
  if (m.name !== doc.name) throw bad(`name is "${m.name}", but the release is ${doc.name}`);
  if (m.version !== doc.version) throw bad(`version is "${m.version}", but the release is ${doc.version}`);
  const protocols = [...new Set(doc.protocols)].sort((a, b) => a - b);
  if (protocols.join() !== m.protocols.join())
    throw bad(`protocols are [${m.protocols.join(", ")}], but the release document says [${protocols.join(", ")}]`);
  const requires = (list: readonly string[]) => JSON.stringify([...new Set(list)].sort());
  if (requires(m.requires) !== requires(doc.requires))
    throw bad(`requires ${requires(m.requires)}, but the release document says ${requires(doc.requires)}`);
  const entrypoint = resolveEntry(entries, m.entrypoint ?? "");
  if (!entrypoint) throw bad(`the entrypoint "${m.entrypoint}" is not in the archive`);
  if (entrypoint.mode !== 0o755) throw bad(`the entrypoint "${m.entrypoint}" is not executable (mode 644; it must be 755)`);
}

/** The file `path` names, following symlinks inside the archive (readArchive has refused any that leave it). */
function resolveEntry(entries: readonly ArchiveEntry[], path: string): ArchiveEntry | undefined {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  let current = path.replace(/^\.\//, "");
  for (let hops = 0; hops < 16; hops++) {
    const e = byPath.get(current);
    if (!e || e.type === "file") return e;
    const stack = current.split("/").slice(0, -1);
    for (const seg of e.data.toString("utf8").split("/")) {
      if (seg === "..") stack.pop();
      else if (seg !== "" && seg !== ".") stack.push(seg);
    }
    current = stack.join("/");
  }
  return undefined;
}
