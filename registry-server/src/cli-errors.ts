import { isCigError, RegistryError } from "./registry-error.js";

const SYSTEM_HINTS: Record<string, string> = {
  EADDRINUSE: "Another process listens on that port: choose another with --port (0: any free port).",
  EACCES: "Check the permissions of the data directory (and ports below 1024 need privileges).",
  EPERM: "Check the permissions of the data directory.",
  ENOENT: "Check the --data path.",
  ENOSPC: "The disk is full.",
};

/** The code and hint to print for a failure: ours, core's, or the system's (a port in use, a path). */
export function describeError(err: unknown): { code: string; hint: string } {
  if (err instanceof RegistryError || isCigError(err)) return { code: err.code, hint: err.hint };
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === "string" && /^E[A-Z]+$/.test(errno))
    return { code: "CIG_REGISTRY_SYSTEM", hint: SYSTEM_HINTS[errno] ?? "Check the data directory and the options." };
  return { code: "CIG_INTERNAL", hint: "This is a bug in cig-registry; please report it with the message." };
}
