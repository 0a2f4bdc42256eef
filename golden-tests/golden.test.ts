import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { type CaseOutput, CIG, cases, HERE, hasSkippableJobs, outputsOf, providerOf, RUN_TIME_PROVIDERS } from "./golden-cases.js";
import { PROVIDERS, type RenderedFile } from "./providers.js";

// Golden tests: golden-tests/<case>/input is a repository (cig.toml plus the
// files detection reads); expected/<provider>/<path> is what `cig render`
// leaves behind, filed under the provider of the [[outputs]] entry that wrote
// it (expected/github/.github/workflows/ci.yml, expected/gitlab/.gitlab-ci.yml),
// or, for error cases, `cig.stderr` and `exit-code`. Run by spawning the built
// cig. Refresh with `pnpm golden:update`. Where skippable jobs make a
// provider's committed file a bootstrap that renders the pipeline at run
// time, expected/<provider>/run-time/<path> is that pipeline as
// `cig compute-signatures --render <provider>` prints it with CIG_FORCE=1
// (everything runs), so it is validated and read back like any output.

const UPDATE = process.env.CIG_UPDATE_GOLDEN === "1";
const META = new Set(["cig.stderr", "exit-code"]);

function files(root: string, base = root): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });
}

/** `cig render` on a copy of `input`: exit status, output, and the files it created or changed, filed by provider. */
function render(input: string, outputs: readonly CaseOutput[]) {
  const dir = mkdtempSync(join(tmpdir(), "cig-golden-"));
  cpSync(input, dir, { recursive: true });
  const runTime = new Map<string, string>();
  // Before `render`: its outputs must not count among the files a signature hashes.
  if (hasSkippableJobs(input)) {
    for (const o of outputs.filter((o) => RUN_TIME_PROVIDERS.includes(o.provider))) {
      const rt = spawnSync(process.execPath, [CIG, "--cwd", dir, "compute-signatures", "--render", o.provider], {
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", CIG_FORCE: "1" },
        timeout: 60_000,
      });
      runTime.set(`${o.provider}/run-time/${o.path}`, rt.status === 0 ? rt.stdout : `exit ${rt.status}\n${rt.stderr}`);
    }
  }
  const r = spawnSync(process.execPath, [CIG, "--cwd", dir, "render"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  const before = new Set(files(input));
  const produced = new Map<string, string>();
  for (const f of files(dir)) {
    const text = readFileSync(join(dir, f), "utf8");
    if (!before.has(f) || text !== readFileSync(join(input, f), "utf8")) produced.set(`${providerOf(outputs, f)}/${f}`, text);
  }
  for (const [f, text] of runTime) produced.set(f, text);
  const normalise = (s: string) => s.split(dir).join("<repo>");
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status ?? -1, stderr: normalise(r.stderr), stdout: normalise(r.stdout), produced };
}

describe.each(cases)("golden: %s", (name) => {
  const input = join(HERE, name, "input");
  const expectedDir = join(HERE, name, "expected");
  const outputs = outputsOf(input);

  it("renders exactly the expected tree (or the expected diagnostics)", () => {
    const got = render(input, outputs);
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
    const a = render(input, outputs);
    const b = render(input, outputs);
    expect(b.produced).toEqual(a.produced);
    expect(b.stderr).toBe(a.stderr);
  });
});

describe("platform validators on every golden output", () => {
  // One validator run per provider over all cases: groovy-lint starts a JVM per run.
  it.each(Object.keys(PROVIDERS))(
    "%s",
    async (provider) => {
      const rendered: RenderedFile[] = cases.flatMap((name) => {
        const root = join(HERE, name, "expected", provider);
        return files(root).map((path) => ({ path: `${name}/${path}`, content: readFileSync(join(root, path), "utf8") }));
      });
      expect(rendered.length, `no golden output for ${provider}`).toBeGreaterThan(0);
      const kit = PROVIDERS[provider] as (typeof PROVIDERS)[string];
      // Validators see each file at its path in the repository (GitHub's rules depend on it).
      const problems = await kit.validate(rendered.map((f) => ({ path: f.path.slice(f.path.indexOf("/") + 1), content: f.content })));
      expect(rendered.map((f, i) => ({ file: f.path, problems: problems[i] }))).toEqual(
        rendered.map((f) => ({ file: f.path, problems: [] })),
      );
    },
    180_000,
  );
});

describe("golden cases", () => {
  it("cover all five providers, each output filed under a known provider", () => {
    const seen = new Set<string>();
    for (const name of cases) {
      for (const f of files(join(HERE, name, "expected")).filter((f) => !META.has(f))) {
        const provider = f.split("/")[0] as string;
        expect(Object.keys(PROVIDERS), `${name}: ${f}`).toContain(provider);
        seen.add(provider);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(PROVIDERS).sort());
  });
});
