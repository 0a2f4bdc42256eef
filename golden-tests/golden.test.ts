import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateWorkflow } from "../plugins-std/provider-github/test/validate-workflow.js";

// Golden tests: golden-tests/<case>/input is a repository (cig.toml plus the
// files detection reads); expected/ is what `cig render` leaves behind (the
// rendered files at their paths), or, for error cases, `cig.stderr` and
// `exit-code`. Run by spawning the built cig. Refresh with `pnpm golden:update`.

const here = dirname(fileURLToPath(import.meta.url));
const CIG = join(here, "../core/bin/cig.js");
const UPDATE = process.env.CIG_UPDATE_GOLDEN === "1";
const META = new Set(["cig.stderr", "exit-code"]);
const cases = readdirSync(here).filter((d) => existsSync(join(here, d, "input")));

function files(root: string, base = root): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });
}

function render(input: string) {
  const dir = mkdtempSync(join(tmpdir(), "cig-golden-"));
  cpSync(input, dir, { recursive: true });
  const r = spawnSync(process.execPath, [CIG, "--cwd", dir, "render"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  const before = new Set(files(input));
  const produced = new Map<string, string>();
  for (const f of files(dir)) {
    const text = readFileSync(join(dir, f), "utf8");
    if (!before.has(f) || text !== readFileSync(join(input, f), "utf8")) produced.set(f, text);
  }
  const normalise = (s: string) => s.split(dir).join("<repo>");
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status ?? -1, stderr: normalise(r.stderr), stdout: normalise(r.stdout), produced };
}

describe.each(cases)("golden: %s", (name) => {
  const input = join(here, name, "input");
  const expectedDir = join(here, name, "expected");

  it("renders exactly the expected tree (or the expected diagnostics)", () => {
    const got = render(input);
    const expectedExit = existsSync(join(expectedDir, "exit-code"))
      ? Number(readFileSync(join(expectedDir, "exit-code"), "utf8").trim())
      : 0;
    if (UPDATE) {
      rmSync(expectedDir, { recursive: true, force: true });
      mkdirSync(expectedDir, { recursive: true });
      for (const [f, text] of got.produced) {
        mkdirSync(dirname(join(expectedDir, f)), { recursive: true });
        writeFileSync(join(expectedDir, f), text);
      }
      if (got.status !== 0) {
        writeFileSync(join(expectedDir, "exit-code"), `${got.status}\n`);
        writeFileSync(join(expectedDir, "cig.stderr"), got.stderr);
      }
      return;
    }
    expect(got.status, got.stderr).toBe(expectedExit);
    if (expectedExit !== 0) expect(got.stderr).toBe(readFileSync(join(expectedDir, "cig.stderr"), "utf8"));
    const want = files(expectedDir)
      .filter((f) => !META.has(f))
      .sort();
    expect([...got.produced.keys()].sort()).toEqual(want);
    for (const f of want) expect(got.produced.get(f), f).toBe(readFileSync(join(expectedDir, f), "utf8"));
  });

  it("renders byte-identical output twice", () => {
    const a = render(input);
    const b = render(input);
    expect(b.produced).toEqual(a.produced);
    expect(b.stderr).toBe(a.stderr);
  });

  it("every expected GitHub workflow passes actionlint, GitHub's parser and the JSON Schema", async () => {
    const workflows = files(expectedDir).filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f));
    for (const f of workflows) {
      const problems = await validateWorkflow(readFileSync(join(expectedDir, f), "utf8"), f);
      expect(problems, f).toEqual([]);
    }
  });
});
