import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDirStore, type Decision, decide, passManifest, type SignatureResult } from "../../src/signatures/index.js";
import { gitRepo, tempDir } from "./git-repo.js";
import { FACTS, FILES, JOBS, sign } from "./sign-fixture.js";

const byVariant = (decisions: Decision[]) => Object.fromEntries(decisions.map((d) => [d.variant, d]));
const reasons = (decisions: Decision[]) =>
  Object.fromEntries(decisions.map((d) => [d.variant, `${d.should_run ? "run" : "skip"}:${d.reason}`]));

async function recordAll(store: ReturnType<typeof createDirStore>, results: SignatureResult[]) {
  for (const r of results) await store.record(passManifest(r, new Date("2024-01-01T00:00:00Z")));
}

describe("decide", () => {
  it("runs what was never recorded, skips what passed unchanged, never skips the not skippable", async () => {
    const root = gitRepo(FILES);
    const store = createDirStore(tempDir());
    const first = await sign(root);
    expect(reasons(await decide(first.results, { store }))).toEqual({
      audit: "run:never_recorded",
      build: "run:never_recorded",
      docs: "run:never_recorded",
      lint: "run:never_recorded",
      "test-ruby3.2": "run:never_recorded",
      "test-ruby3.3": "run:never_recorded",
      deploy: "run:never_skip",
    });
    await recordAll(store, first.results);
    const again = await decide((await sign(root)).results, { store });
    expect(reasons(again)).toMatchObject({ build: "skip:unchanged", docs: "skip:unchanged", deploy: "run:never_skip" });
    const plain = JOBS.map((j) => (j.id === "deploy" ? { id: "deploy", needs: ["test"] } : j));
    expect(byVariant(await decide((await sign(root, { jobs: plain })).results, { store })).deploy?.reason).toBe("not_skippable");
  });

  it("names the first changed component against the last pass, with every difference", async () => {
    const root = gitRepo(FILES);
    const store = createDirStore(tempDir());
    await recordAll(store, (await sign(root)).results);
    writeFileSync(join(root, "src/a.ts"), "changed\n");
    writeFileSync(join(root, "src/added.ts"), "new\n");
    const env = { LINT_STRICT: "1" };
    const decisions = byVariant(
      await decide((await sign(root, { env, facts: { ...FACTS, node_version: "22.0.0" } })).results, { store, env: {} }),
    );
    expect(decisions.build).toMatchObject({
      should_run: true,
      reason: "files_changed",
      details: { files: { added: ["src/added.ts"], removed: [], changed: ["src/a.ts"] }, tools: ["node_version"] },
    });
    expect(decisions.build?.details?.last_recorded_at).toBe("2024-01-01T00:00:00.000Z");
    expect(decisions["test-ruby3.2"]).toMatchObject({ reason: "upstream_changed", details: { upstream: ["build"] } });
    expect(decisions.lint).toMatchObject({ reason: "files_changed", details: { env: ["LINT_STRICT"] } });
    expect(decisions.docs?.reason).toBe("unchanged");
    // A file gone since the pass: removed, beside one added and one changed.
    rmSync(join(root, "src/run.sh"));
    const gone = byVariant(await decide((await sign(root)).results, { store }));
    expect(gone.build?.details?.files).toEqual({ added: ["src/added.ts"], removed: ["src/run.sh"], changed: ["src/a.ts"] });
    const salted = byVariant(await decide((await sign(root, { salt: "s" })).results, { store }));
    expect(salted.docs).toMatchObject({ reason: "salt_changed", details: { salt: true } });
  });

  it("reports env, tools and definition changes in that order of precedence", async () => {
    const root = gitRepo(FILES);
    const store = createDirStore(tempDir());
    await recordAll(store, (await sign(root)).results);
    const lint = async (opts: Parameters<typeof sign>[1]) => byVariant(await decide((await sign(root, opts)).results, { store }));
    expect((await lint({ env: { LINT_STRICT: "" } })).lint).toMatchObject({ reason: "env_changed", details: { env: ["LINT_STRICT"] } });
    expect((await lint({ facts: { ...FACTS, ruby_version: "3.4.0" } }))["test-ruby3.3"]).toMatchObject({
      reason: "tools_changed",
      details: { tools: ["ruby_version"] },
    });
    const jobs = JOBS.map((j) => (j.id === "docs" ? { ...j, timeoutMinutes: 5 } : j));
    expect((await lint({ jobs })).docs).toMatchObject({ reason: "definition_changed", details: { definition: true } });
  });

  it("forces with CIG_FORCE (all or a list of jobs and variants), before anything else", async () => {
    const root = gitRepo(FILES);
    const store = createDirStore(tempDir());
    const { results } = await sign(root);
    await recordAll(store, results);
    const run = async (env: Record<string, string>, force?: boolean) =>
      (await decide(results, { store, env, ...(force ? { force } : {}) })).filter((d) => d.reason === "forced").map((d) => d.variant);
    expect(await run({ CIG_FORCE: "1" })).toHaveLength(7);
    expect(await run({ CIG_FORCE: "ALL" })).toHaveLength(7);
    expect(await run({}, true)).toHaveLength(7);
    expect(await run({ CIG_FORCE: "test, docs" })).toEqual(["docs", "test-ruby3.2", "test-ruby3.3"]);
    expect(await run({ CIG_FORCE: "job:test-ruby3.3" })).toEqual(["test-ruby3.3"]);
    expect(await run({ CIG_FORCE: "0" })).toEqual([]);
  });

  it("skips on a skip_if.branch glob (`*` spans /) and on a set skip_if.env variable", async () => {
    const root = gitRepo(FILES);
    const store = createDirStore(tempDir());
    const jobs = JOBS.map((j) => (j.id === "docs" ? { ...j, skipIf: { branch: ["dependabot/*"], env: ["SKIP_DOCS"] } } : j));
    const { results } = await sign(root, { jobs });
    const docs = async (opts: { branch?: string; env?: Record<string, string> }) =>
      byVariant(await decide(results, { store, ...opts })).docs;
    expect(await docs({ branch: "dependabot/npm_and_yarn/lodash-4.17.21" })).toMatchObject({
      should_run: false,
      reason: "skip_if:branch",
      details: { branch: "dependabot/npm_and_yarn/lodash-4.17.21", pattern: "dependabot/*" },
    });
    expect(await docs({ branch: "main" })).toMatchObject({ should_run: true, reason: "never_recorded" });
    expect(await docs({ env: { SKIP_DOCS: "" } })).toMatchObject({ should_run: true });
    expect(await docs({ env: { SKIP_DOCS: "yes" } })).toMatchObject({
      should_run: false,
      reason: "skip_if:env",
      details: { env: ["SKIP_DOCS"] },
    });
    expect(await docs({ env: { SKIP_DOCS: "yes", CIG_FORCE: "docs" } })).toMatchObject({ should_run: true, reason: "forced" });
  });
});
