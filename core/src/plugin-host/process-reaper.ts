const groups = new Set<number>();
let installed = false;

/**
 * Remembers a plugin's process group so that it is killed when the core
 * exits for any reason (including an uncaught error or process.exit), leaving
 * no orphans behind. Plugins also exit on their own when fd 0 closes.
 */
export function trackProcessGroup(pid: number): void {
  groups.add(pid);
  if (installed) return;
  installed = true;
  process.once("exit", () => {
    for (const pgid of groups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });
}

/** Forgets a process group that was shut down. */
export function untrackProcessGroup(pid: number): void {
  groups.delete(pid);
}
