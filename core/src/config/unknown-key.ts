import type { ConfigProblem } from "./config-codes.js";
import { suggestKey } from "./did-you-mean.js";
import { type DocPath, formatKey, formatPath } from "./document-path.js";
import type { SourceMap } from "./source-map.js";

const PROVIDER_TABLES = ["github", "circleci", "buildkite", "jenkins", "gitlab"];

// Keys that are valid cig keys, only in another table.
const ELSEWHERE: Record<string, string> = {
  name: 'Project settings go in [project]: [project] name = "…".',
  default_runner: 'Project settings go in [project]: [project] default_runner = "…".',
  push: "Triggers go in [on]: [on] push = { branches = […] }.",
  pull_request: "Triggers go in [on]: [on] pull_request = true.",
  schedule: 'Triggers go in [on]: [[on.schedule]] cron = "0 4 * * 1".',
  manual: "Triggers go in [on]: [on] manual = true.",
  steps: "Job keys go in a job table: [jobs.<id>] steps = […].",
  needs: "Job keys go in a job table: [jobs.<id>] needs = […].",
  matrix: "Job keys go in a job table: [jobs.<id>] matrix = { … }.",
};

/**
 * The diagnostic for a key the format does not have at `parent`: the closest
 * known key, the right table for a key that belongs elsewhere, or the
 * provider table where provider-native keys go.
 */
export function unknownKeyProblem(parent: DocPath, key: string, known: readonly string[], map: SourceMap): ConfigProblem {
  const where = parent.length === 0 ? "the top level" : formatPath(parent);
  const nativeTables = PROVIDER_TABLES.every((p) => known.includes(p)) && !isRunner(parent);
  const normal = key.toLowerCase().replaceAll("-", "_");
  const suggestion = suggestKey(key, known);
  let hint: string;
  if (parent.length === 0 && ELSEWHERE[normal] !== undefined && suggestion === undefined) {
    hint = ELSEWHERE[normal];
  } else if (normal === "environment" && nativeTables) {
    hint = `Environment variables go in env = { NAME = "value" }; a GitHub deployment environment goes in github = { environment = "production" }.`;
  } else if (normal === "runs_on" && known.includes("runner")) {
    hint = `Did you mean "runner"? It names a [runners.<name>] table, which holds the provider values: [runners.linux] github = { runs-on = "ubuntu-latest" }.`;
  } else if (suggestion !== undefined) {
    const snake = suggestion === key.replaceAll("-", "_") ? " cig.toml keys use snake_case." : "";
    hint = `Did you mean "${suggestion}"?${snake}`;
  } else if (isRunner(parent)) {
    hint = `A runner holds one table per provider (${PROVIDER_TABLES.join(", ")}), e.g. github = { ${formatKey(key)} = … }.`;
  } else if (nativeTables) {
    hint = `cig has no "${key}" here. Provider-native keys go in a provider table and are passed through untouched, e.g. github = { ${formatKey(key)} = … }.`;
  } else {
    hint = "Remove it, or rename it to one of the keys listed.";
  }
  return {
    code: "CIG_CONFIG_UNKNOWN_KEY",
    title: `unknown key ${JSON.stringify(key)} ${parent.length === 0 ? "at" : "in"} ${where}`,
    message: `${parent.length === 0 ? "The top level" : where} takes these keys: ${known.join(", ")}.`,
    hint,
    loc: map.locateKey([...parent, key]),
  };
}

/** Runner tables hold only provider tables, so "put it in a provider table" would be no help there. */
function isRunner(path: DocPath): boolean {
  return path.length === 2 && path[0] === "runners";
}
