/**
 * Names people bring from other CI systems, mapped to the cig key that does
 * the same job. Consulted before spelling distance: "depends_on" is nowhere
 * near "needs" by edits, but it is what the user meant.
 */
const KEY_ALIASES: Record<string, string> = {
  depends_on: "needs",
  dependencies: "needs",
  requires: "needs",
  runs_on: "runner",
  machine: "runner",
  executor: "runner",
  resource_class: "runner",
  agents: "runner",
  timeout_minutes: "timeout",
  timeout_in_minutes: "timeout",
  condition: "if",
  when: "if",
  variables: "env",
  command: "run",
  script: "run",
  cmd: "run",
  action: "uses",
  use: "uses",
  args: "with",
  workdir: "working_directory",
  cwd: "working_directory",
  cache: "caches",
  service: "services",
  key: "key_parts",
  keys: "key_parts",
  workflow_dispatch: "manual",
  pr: "pull_request",
  pull_requests: "pull_request",
  cron: "schedule",
  schedules: "schedule",
  triggers: "on",
  trigger: "on",
  workflow: "on",
  job: "jobs",
  runner: "runners",
  output: "outputs",
  vars: "variables",
  var: "variables",
  plugin: "plugins",
};

/**
 * The candidate closest to `name`, or undefined when none is close enough to
 * be a plausible typo. A case-only difference always qualifies; otherwise the
 * optimal-string-alignment distance (a transposition is one edit) must be at
 * most a third of the longer name, and at least 1, and leave something of the
 * shorter name standing. Ties go to the candidate
 * that sorts first, so the hint is the same on every run.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const score = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3));
    // Replacing all of a short name is no typo: "b" is not a misspelt "a".
    if (score > limit || (score >= 1 && score >= Math.min(name.length, candidate.length))) continue;
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The known key a misspelled or foreign key most likely means: the same key
 * with - and _ swapped (working-directory), a name from another CI system
 * (depends_on → needs), or the closest spelling.
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const normal = key.toLowerCase().replaceAll("-", "_");
  const swapped = known.find((k) => k.toLowerCase().replaceAll("-", "_") === normal);
  if (swapped !== undefined) return swapped;
  const alias = KEY_ALIASES[normal];
  if (alias !== undefined && known.includes(alias)) return alias;
  return didYouMean(key, known);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows keep memory linear; names are short, so time is no concern.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}
