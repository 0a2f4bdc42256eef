import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { create } from "@bufbuild/protobuf";
import { CigSchemaSchema, OutputSchema } from "@cig/proto";
import { createTestHarness, type PluginDefinition } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { stdModuleProvides, stdPlugins } from "../src/cli/std-plugins.js";
import { selectPlugins, usesFromRaw } from "../src/pipeline/select-plugins.js";
import { listRepo, snapshotFor } from "../src/repo/repo-snapshot.js";
import { REPO_ROOT } from "./process-helpers.js";

// The core starts a std module only when cig.toml uses it, judged by the
// module's manifest. A manifest that under-declares would silently drop the
// module's steps, so each claim is checked against the module's own code.

const MODULES = stdModuleProvides();
const require = createRequire(join(REPO_ROOT, "core/package.json"));

async function definitionOf(name: string): Promise<PluginDefinition> {
  const pkg = `@cig/plugin-${name.replace("/", "-")}`;
  const dir = join(require.resolve(`${pkg}/package.json`), "..");
  const mod = (await import(pathToFileURL(join(dir, "dist/plugin-definition.js")).href)) as Record<string, PluginDefinition>;
  const def = Object.values(mod).find((v) => v?.info?.name === name);
  if (!def) throw new Error(`${pkg} exports no definition named ${name}`);
  return def;
}

const schemaWith = (job: { packages?: string[]; services?: string[] }) =>
  create(CigSchemaSchema, {
    jobs: [{ id: "t", packages: job.packages ?? [], services: (job.services ?? []).map((name) => ({ name })) }],
  });

describe("std module manifests (module.toml [provides])", () => {
  it("every std module has one", () => {
    const modules = [...stdPlugins().keys()].filter((n) => !n.startsWith("provider/"));
    expect([...MODULES.keys()].sort()).toEqual(modules.sort());
  });

  describe.each([...MODULES.keys()])("%s", (name) => {
    const provides = MODULES.get(name) ?? { packages: [], services: [], facts: [] };

    it("contributes to a job for each package and service it declares, and to no other job", async () => {
      const h = createTestHarness(await definitionOf(name));
      for (const p of provides.packages)
        expect((await h.plan({ schema: schemaWith({ packages: [p] }) })).resources.length, p).toBeGreaterThan(0);
      for (const s of provides.services)
        expect((await h.plan({ schema: schemaWith({ services: [s] }) })).resources.length, s).toBeGreaterThan(0);
      // And nothing for names it does not declare (an under-declaring manifest would drop its steps).
      const all = [...MODULES.values()].flatMap((m) => [...m.packages, ...m.services]);
      for (const other of [...new Set([...all, "python2", "nodejs20", "mysql", "docker", "cobol"])]) {
        if (provides.packages.includes(other) || provides.services.includes(other)) continue;
        expect((await h.plan({ schema: schemaWith({ packages: [other], services: [other] }) })).resources, other).toEqual([]);
      }
    });

    it("declares every fact it detects in the golden and example repositories", async () => {
      const def = await definitionOf(name);
      const h = createTestHarness(def);
      const repos = [
        ...readdirSync(join(REPO_ROOT, "golden-tests"), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(REPO_ROOT, "golden-tests", d.name, "input")),
        join(REPO_ROOT, "examples/node-app"),
      ];
      let detected = 0;
      for (const repo of repos) {
        const listing = listRepo(repo);
        const facts = (await h.detect({ repo: snapshotFor(repo, listing, def.info.detectPatterns ?? []) })).facts;
        for (const fact of Object.keys(facts)) expect(provides.facts, `${name} detects ${fact} in ${repo}`).toContain(fact);
        detected += Object.keys(facts).length;
      }
      expect(detected, `${name} detected nothing in any repository: the check above proved nothing`).toBeGreaterThan(0);
    });
  });
});

describe("selectPlugins", () => {
  const std = new Map([...MODULES.keys(), "provider/github", "provider/gitlab"].map((n) => [n, `/bin/${n}`]));
  const github = [create(OutputSchema, { provider: "github", path: ".github/workflows/ci.yml" })];
  const names = (text: string, schema = create(CigSchemaSchema, {})) =>
    selectPlugins(std, github, "/repo", { schema, text, provides: MODULES }).map((c) => c.displayName);

  it("starts the providers of the outputs and only the modules cig.toml uses", () => {
    expect(names("", schemaWith({ packages: ["nodejs"], services: ["postgres"] }))).toEqual([
      "db/postgres",
      "lang/node",
      "provider/github",
    ]);
    expect(names("")).toEqual(["provider/github"]);
  });

  it("counts a {{ fact }} reference and a uses step as a use", () => {
    expect(names('key_parts = ["ruby-{{ ruby_version }}"]')).toEqual(["lang/ruby", "provider/github"]);
    const uses = create(CigSchemaSchema, { jobs: [{ id: "t", steps: [{ action: { case: "uses", value: { ref: "lang/go@~1.2" } } }] }] });
    expect(names("", uses)).toEqual(["lang/go", "provider/github"]);
  });

  it("selects the same from the raw TOML data (before the checks) as from the checked schema", () => {
    const raw = usesFromRaw({
      jobs: {
        a: { packages: ["ruby", 3], services: ["redis"], steps: [{ uses: "lang/go@~1.2" }, { run: "x" }] },
        b: { services: { postgres: { image: "postgres:16" } } },
        c: "not a table",
      },
    });
    expect(raw).toEqual({ raw: true, packages: new Set(["ruby"]), services: new Set(["redis", "postgres"]), refs: new Set(["lang/go"]) });
    expect(selectPlugins(std, github, "/repo", { schema: raw, text: "", provides: MODULES }).map((c) => c.displayName)).toEqual([
      "db/postgres",
      "db/redis",
      "lang/go",
      "lang/ruby",
      "provider/github",
    ]);
  });

  it("starts every module without a selection (cig init), and modules without a manifest always", () => {
    expect(selectPlugins(std, [], "/repo").map((c) => c.displayName)).toEqual([...MODULES.keys()].sort());
    const extra = new Map([...std, ["policy/acme", "/bin/acme"]]);
    expect(
      selectPlugins(extra, github, "/repo", { schema: create(CigSchemaSchema, {}), text: "", provides: MODULES }).map((c) => c.displayName),
    ).toEqual(["policy/acme", "provider/github"]);
  });
});
