// docs/benchmarks.md holds one section per bench, each between
// `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->`. A bench
// replaces its own section in place and leaves the others alone; a missing
// file or section is created.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const PREAMBLE = `# Benchmarks

Measured numbers of cig's benchmarks. The benches live in \`bench/\`, run on
demand (never in the test suite), and each rewrites its own section of this
page between its \`<!-- bench:<name>:start -->\` and \`<!-- bench:<name>:end -->\`
markers; everything outside the markers is kept as written. The numbers
depend on the machine: each section names the one it was measured on.
`;

/** Replaces (or appends) the section `name` of the results page at `path`. */
export function writeSection(path, name, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  let text = existsSync(path) ? readFileSync(path, "utf8") : PREAMBLE;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) {
    text = text.slice(0, i) + block + text.slice(j + end.length);
  } else {
    text = `${text.trimEnd()}\n\n${block}\n`;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
