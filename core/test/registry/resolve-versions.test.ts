import { describe, expect, it } from "vitest";
import type { PluginSource, VersionSummary } from "../../src/registry/plugin-source.js";
import { type Constraint, resolveVersions } from "../../src/registry/resolve-versions.js";

/** A registry in memory: id → versions (with their requires and yanked flags). */
function mockSource(plugins: Record<string, Array<[string, string[]?, boolean?]>>): PluginSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    label: "mock",
    signed: true,
    calls,
    async versions(_host, id): Promise<VersionSummary[]> {
      calls.push(id);
      const vs = plugins[id];
      if (!vs) throw Object.assign(new Error(`${id} unknown`), { code: "CIG_RESOLVE_NOT_FOUND" });
      return vs.map(([version, requires = [], yanked = false]) => ({ version, requires, yanked, protocols: [1], platforms: ["any"] }));
    },
    versionDocument: () => Promise.reject(new Error("not used")),
    archive: () => Promise.reject(new Error("not used")),
  };
}

const root = (id: string, range: string, from = "cig.toml [plugins]"): Constraint => ({ id, host: "registry.cig.dev", range, from });
const opts = (source: PluginSource, locked: Record<string, string> = {}, upgrade = false) => ({
  source,
  locked: new Map(Object.entries(locked)),
  upgrade,
  builtin: new Map([["lang/node", "0.1.0"]]),
});
const picked = (rs: Array<{ id: string; version: string }>) => Object.fromEntries(rs.map((r) => [r.id, r.version]));

describe("version resolution", () => {
  const registry = mockSource({
    "lang/rails": [
      ["1.0.0", ["lang/ruby@^1.0"]],
      ["2.0.0", ["lang/ruby@^2.0", "db/postgres@^2.0"]],
    ],
    "lang/ruby": [["1.0.4"], ["1.2.0"], ["1.3.1"], ["2.0.0"], ["2.1.0", [], true]],
    "db/postgres": [["2.0.0"], ["2.1.0"]],
    "acme/uses-node": [["1.0.0", ["lang/node@>=0.1"]]],
    "acme/wants-new-node": [["1.0.0", ["lang/node@^1"]]],
  });

  it("picks the highest non-yanked version and follows requires transitively", async () => {
    expect(picked(await resolveVersions([root("lang/rails", "^2")], opts(registry)))).toEqual({
      "db/postgres": "2.1.0",
      "lang/rails": "2.0.0",
      "lang/ruby": "2.0.0",
    });
  });

  it("backtracks: an older version whose requires fit wins over a newer one whose do not", async () => {
    // lang/rails 2 needs lang/ruby ^2.0, which ~1.2 excludes; lang/rails 1 needs ^1.0, which fits.
    const rs = await resolveVersions([root("lang/ruby", "~1.2"), root("lang/rails", "*")], opts(registry));
    expect(picked(rs)).toEqual({ "lang/rails": "1.0.0", "lang/ruby": "1.2.0" });
    expect(rs.find((r) => r.id === "lang/ruby")?.constraints.map((c) => c.range)).toEqual(["~1.2", "^1.0"]);
  });

  it("names who wants what when the constraints conflict", async () => {
    const err = await resolveVersions(
      [root("lang/ruby", "~1.2", 'cig.toml [plugins] "lang/ruby"'), root("lang/rails", "2.0.0")],
      opts(registry),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CIG_RESOLVE_CONFLICT", hint: expect.stringContaining("cig sync") });
    const msg = (err as Error).message;
    expect(msg).toContain("no version of lang/ruby satisfies every constraint");
    expect(msg).toContain('cig.toml [plugins] "lang/ruby" wants ~1.2');
    expect(msg).toContain("lang/rails@2.0.0 (requires) wants ^2.0");
    expect(msg).toContain("available: 1.0.4, 1.2.0, 1.3.1, 2.0.0, 2.1.0 (yanked)");
  });

  it("keeps a locked version while it fits, even a yanked one; --upgrade moves", async () => {
    expect(picked(await resolveVersions([root("lang/ruby", "^1.0")], opts(registry, { "lang/ruby": "1.0.4" })))).toEqual({
      "lang/ruby": "1.0.4",
    });
    expect(picked(await resolveVersions([root("lang/ruby", "^2.0")], opts(registry, { "lang/ruby": "2.1.0" })))).toEqual({
      "lang/ruby": "2.1.0",
    });
    expect(picked(await resolveVersions([root("lang/ruby", "^2.0")], opts(registry, {})))).toEqual({ "lang/ruby": "2.0.0" });
    expect(picked(await resolveVersions([root("lang/ruby", "^1.0")], opts(registry, { "lang/ruby": "1.0.4" }, true)))).toEqual({
      "lang/ruby": "1.3.1",
    });
    // A locked version the constraints no longer allow is replaced.
    expect(picked(await resolveVersions([root("lang/ruby", "~1.2")], opts(registry, { "lang/ruby": "1.0.4" })))).toEqual({
      "lang/ruby": "1.2.0",
    });
  });

  it("checks requires on std plugins against the version shipped with cig", async () => {
    expect(picked(await resolveVersions([root("acme/uses-node", "*")], opts(registry)))).toEqual({ "acme/uses-node": "1.0.0" });
    const err = await resolveVersions([root("acme/wants-new-node", "*")], opts(registry)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CIG_RESOLVE_CONFLICT", hint: expect.stringContaining('add "lang/node" = "^1" to [plugins]') });
    expect((err as Error).message).toContain("the std lang/node 0.1.0 that ships with cig does not satisfy");
  });

  it("reports a range nothing satisfies as not found, with what there is", async () => {
    const err = await resolveVersions([root("db/postgres", "^3")], opts(registry)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CIG_RESOLVE_NOT_FOUND" });
    expect((err as Error).message).toBe("no version of db/postgres satisfies ^3 (cig.toml [plugins]); available: 2.0.0, 2.1.0");
  });

  it("asks the registry once per plugin", async () => {
    const src = mockSource({ "a/a": [["1.0.0", ["b/b@1"]]], "b/b": [["1.0.0"]] });
    await resolveVersions([root("a/a", "*"), root("b/b", "*", "step")], opts(src));
    expect(src.calls.sort()).toEqual(["a/a", "b/b"]);
  });
});
