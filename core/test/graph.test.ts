import { toBinary } from "@bufbuild/protobuf";
import { Dependency_Kind, DependencySchema, Diagnostic_Level, Resource_Kind, ResourceSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { buildJobGraph, compareUtf8, GRAPH_CODES } from "../src/graph/index.js";
import { echoLocator, ids, jobOf, matrix, schemaOf, tableLocator } from "./graph-fixtures.js";

describe("job graph", () => {
  const seed = schemaOf(
    [
      { id: "setup", runner: "linux-small" },
      { id: "test", needs: ["setup"], matrix: matrix({ ruby: ["3.2", "3.3"], arch: ["amd64", "arm64"] }), packages: ["ruby", "node"] },
      { id: "build", needs: ["test"], packages: ["docker"] },
    ],
    {
      project: { name: "docspring", defaultRunner: "linux-xlarge" },
      runners: [
        { name: "linux-small", providers: { github: { "runs-on": "ubuntu-latest" }, circleci: { resource_class: "small" } } },
        { name: "linux-xlarge", providers: { github: { "runs-on": "ubuntu-latest-8-cores" } } },
      ],
    },
  );
  const locate = tableLocator({ '["jobs","test","needs",0]': "9:10", '["jobs","build","needs",0]': "15:10" });

  it("names matrix variants as the design does and orders them topologically", () => {
    const graph = buildJobGraph(seed, {}, locate);
    expect(graph.diagnostics).toEqual([]);
    expect(graph.acyclic).toBe(true);
    expect(ids(graph.jobs)).toEqual([
      "setup",
      "test-ruby3.2-amd64",
      "test-ruby3.2-arm64",
      "test-ruby3.3-amd64",
      "test-ruby3.3-arm64",
      "build",
    ]);
    for (const r of graph.jobs) {
      expect(r.kind).toBe(Resource_Kind.JOB);
      expect(r.owner).toBe("cig");
    }
    const variant = jobOf(graph.jobs[2]);
    expect(variant.jobId).toBe("test");
    expect(variant.matrix).toEqual({ arch: "arm64", ruby: "3.2" });
    expect(variant.needs).toEqual(["job:setup"]);
    expect(variant.packages).toEqual(["ruby", "node"]);
    expect(jobOf(graph.jobs[5]).needs).toEqual([
      "job:test-ruby3.2-amd64",
      "job:test-ruby3.2-arm64",
      "job:test-ruby3.3-amd64",
      "job:test-ruby3.3-arm64",
    ]);
    expect(jobOf(graph.jobs[0]).matrix).toEqual({});
  });

  it("emits a sorted needs edge per variant pair, with the cause", () => {
    const { deps } = buildJobGraph(seed, {}, locate);
    expect(deps).toHaveLength(4 + 4);
    expect(deps[0]).toMatchObject({
      from: "job:build",
      to: "job:test-ruby3.2-amd64",
      kind: Dependency_Kind.NEEDS,
      reason: "build needs test (cig.toml:15:10)",
    });
    expect(deps.at(-1)).toMatchObject({ from: "job:test-ruby3.3-arm64", to: "job:setup", reason: "test needs setup (cig.toml:9:10)" });
    const keys = deps.map((d) => `${d.from} ${d.to}`);
    expect(keys).toEqual([...keys].sort(compareUtf8));
    // Without a locator the reason has no position.
    expect(buildJobGraph(seed, {}).deps[0]?.reason).toBe("build needs test");
  });

  it("resolves runners: the job's, else the project default, else none", () => {
    const graph = buildJobGraph(seed, {});
    const setup = jobOf(graph.jobs[0]).runner;
    expect(setup?.name).toBe("linux-small");
    expect(setup?.providers).toEqual({ circleci: { resource_class: "small" }, github: { "runs-on": "ubuntu-latest" } });
    expect(jobOf(graph.jobs[5]).runner?.name).toBe("linux-xlarge");
    const bare = buildJobGraph(schemaOf([{ id: "a" }]), {});
    expect(jobOf(bare.jobs[0]).runner).toMatchObject({ name: "", providers: {} });
  });

  it("copies the job's definition to every variant", () => {
    const schema = schemaOf([
      {
        id: "t",
        matrix: matrix({ n: ["1", "2"] }),
        steps: [{ name: "hello", action: { case: "run", value: { command: "echo hi", shell: "bash" } } }],
        services: [{ name: "postgres", image: "postgres:16", ports: ["5432"] }],
        caches: ["bundler"],
        skipIf: { pathsUnmodified: ["app/**"], env: ["SKIP"] },
        timeoutMinutes: 30,
        condition: "github.ref == 'refs/heads/main'",
        passthrough: { github: { "continue-on-error": true } },
        neverSkip: true,
        inputs: ["Gemfile.lock"],
        env: { B: "2", A: "1" },
        loc: { path: "cig.toml", line: 3, column: 1 },
      },
    ]);
    const graph = buildJobGraph(schema, {});
    expect(graph.jobs).toHaveLength(2);
    for (const r of graph.jobs) {
      const job = jobOf(r);
      expect(job.steps[0]?.action).toMatchObject({ case: "run", value: { command: "echo hi", shell: "bash" } });
      expect(job.services[0]).toMatchObject({ name: "postgres", image: "postgres:16", ports: ["5432"] });
      expect(job).toMatchObject({ caches: ["bundler"], timeoutMinutes: 30, neverSkip: true, inputs: ["Gemfile.lock"] });
      expect(job.condition).toBe("github.ref == 'refs/heads/main'");
      expect(job.skipIf).toMatchObject({ pathsUnmodified: ["app/**"], env: ["SKIP"] });
      expect(job.passthrough).toEqual({ github: { "continue-on-error": true } });
      expect(Object.keys(job.env)).toEqual(["A", "B"]);
      expect(job.loc?.line).toBe(3);
    }
    // Variants share the template's (read-only) steps, but each has its own
    // matrix and needs, and its own spec object to assign new arrays to.
    expect(jobOf(graph.jobs[0]).steps[0]).toBe(jobOf(graph.jobs[1]).steps[0]);
    expect(jobOf(graph.jobs[0])).not.toBe(jobOf(graph.jobs[1]));
    expect(jobOf(graph.jobs[0]).matrix).not.toEqual(jobOf(graph.jobs[1]).matrix);
  });

  it("breaks ties by id and waits for every variant of a needed job", () => {
    const schema = schemaOf([{ id: "z" }, { id: "a", needs: ["m"] }, { id: "m", matrix: matrix({ v: ["b", "a"] }) }, { id: "c" }]);
    expect(ids(buildJobGraph(schema, {}).jobs)).toEqual(["c", "m-a", "m-b", "a", "z"]);
  });
});

describe("job graph problems", () => {
  it("reports each cycle once, at the needs entry that closes it", () => {
    const schema = schemaOf([
      { id: "build", needs: ["test"] },
      { id: "test", needs: ["lint", "build"] },
      { id: "lint" },
      { id: "solo", needs: ["solo"] },
    ]);
    const graph = buildJobGraph(schema, {}, echoLocator);
    const cycles = graph.diagnostics.filter((d) => d.code === GRAPH_CODES.cycle);
    // Sorted by location; the echo locator's "file" is the path itself.
    expect(cycles.map((d) => d.title)).toEqual(["job solo needs itself", "dependency cycle: build → test → build"]);
    expect(cycles[0]?.loc?.path).toBe('["jobs","solo","needs",0]');
    expect(cycles[1]?.loc?.path).toBe('["jobs","test","needs",1]');
    expect(cycles[1]?.fixHint).toMatch(/Remove "build" from the needs of "test"/);
    expect(cycles.every((d) => d.level === Diagnostic_Level.ERROR)).toBe(true);
    expect(graph.acyclic).toBe(false);
    // Every job is still there, the placeable ones first.
    expect(ids(graph.jobs)).toEqual(["lint", "build", "solo", "test"]);
  });

  it("reports a cycle through a matrix job in cig.toml ids", () => {
    const schema = schemaOf([
      { id: "a", needs: ["b"], matrix: matrix({ os: ["linux", "mac"] }) },
      { id: "b", needs: ["c"] },
      { id: "c", needs: ["a"] },
    ]);
    const [d] = buildJobGraph(schema, {}).diagnostics;
    expect(d?.title).toBe("dependency cycle: a → b → c → a");
  });

  it("reports unknown needs with a did-you-mean", () => {
    const schema = schemaOf([
      { id: "build", needs: ["tset", "lint-linux"] },
      { id: "test" },
      { id: "lint", matrix: matrix({ os: ["linux"] }) },
    ]);
    const graph = buildJobGraph(schema, {}, echoLocator);
    const [typo, variant] = graph.diagnostics;
    expect(typo).toMatchObject({ code: GRAPH_CODES.unknownNeeds, fixHint: 'Did you mean "test"?' });
    expect(typo?.loc?.path).toBe('["jobs","build","needs",0]');
    expect(variant?.fixHint).toMatch(/"lint-linux" is a matrix variant of job "lint"; need "lint"/);
    expect(jobOf(graph.jobs.find((j) => j.id === "job:build")).needs).toEqual([]);
  });

  it("reports ids that clash after expansion, naming both origins", () => {
    const schema = schemaOf([
      { id: "test-ruby3.2", loc: { path: "cig.toml", line: 2, column: 1 } },
      { id: "test", matrix: matrix({ ruby: ["3.2", "3.3"] }) },
    ]);
    const graph = buildJobGraph(schema, {}, tableLocator({ '["jobs","test","matrix"]': "7:10" }));
    expect(graph.diagnostics).toHaveLength(1);
    const [d] = graph.diagnostics;
    expect(d?.code).toBe(GRAPH_CODES.duplicateId);
    expect(d?.message).toBe(
      'the variant { ruby = "3.2" } of job "test" (cig.toml:7:10) and job "test-ruby3.2" (cig.toml:2:1) would both be job "test-ruby3.2".',
    );
    expect(d?.resourceId).toBe("job:test-ruby3.2");
    expect(ids(graph.jobs)).toEqual(["test-ruby3.2", "test-ruby3.3"]);
    expect(new Set(ids(graph.jobs)).size).toBe(graph.jobs.length);
  });

  it("reports a matrix whose cells are all excluded, and excludes that match nothing", () => {
    const schema = schemaOf([
      { id: "a", matrix: matrix({ os: ["linux"], node: ["20"] }, [], [{ os: "linux" }, { os: "windows" }]) },
      { id: "b", needs: ["a"] },
    ]);
    const graph = buildJobGraph(schema, {}, echoLocator);
    expect(graph.diagnostics.map((d) => [d.code, d.level, d.loc?.path])).toEqual([
      [GRAPH_CODES.excludeUnused, Diagnostic_Level.WARNING, '["jobs","a","matrix","exclude",1]'],
      [GRAPH_CODES.emptyMatrix, Diagnostic_Level.ERROR, '["jobs","a","matrix"]'],
    ]);
    expect(ids(graph.jobs)).toEqual(["b"]);
    expect(jobOf(graph.jobs[0]).needs).toEqual([]);
  });

  it("reports all problems in one run, in file order", () => {
    const schema = schemaOf([
      { id: "a", needs: ["b", "nope"], steps: [{ action: { case: "run", value: { command: "echo {{ missing }}" } } }] },
      { id: "b", needs: ["a"] },
    ]);
    const graph = buildJobGraph(
      schema,
      {},
      tableLocator({ '["jobs","a","needs",1]': "3:15", '["jobs","b","needs",0]': "8:9", '["jobs","a","steps",0,"run"]': "4:11" }),
    );
    expect(graph.diagnostics.map((d) => `${d.loc?.line}:${d.loc?.column} ${d.code}`)).toEqual([
      `3:15 ${GRAPH_CODES.unknownNeeds}`,
      `4:11 ${GRAPH_CODES.unknownVariable}`,
      `8:9 ${GRAPH_CODES.cycle}`,
    ]);
  });
});

describe("job graph caches", () => {
  it("emits one cache resource per table with interpolated key parts and USES edges", () => {
    const schema = schemaOf(
      [
        { id: "test", caches: ["bundler"], matrix: matrix({ ruby: ["3.2", "3.3"] }) },
        {
          id: "lint",
          matrix: matrix({ ruby: ["3.3"] }),
          steps: [{ action: { case: "cache", value: { name: "bundler" } } }],
        },
      ],
      {
        variables: { LOCK: "Gemfile.lock" },
        caches: [{ name: "bundler", paths: ["vendor/bundle"], keyParts: ["{{ LOCK }}", "ruby:{{ ruby }}", "{{ facts.os_release }}"] }],
      },
    );
    const graph = buildJobGraph(schema, { os_release: "jammy" });
    expect(graph.diagnostics).toEqual([]);
    expect(graph.caches.map((c) => c.id)).toEqual(["cache:bundler"]);
    const spec = graph.caches[0]?.spec;
    expect(spec?.case).toBe("cache");
    if (spec?.case !== "cache") return;
    expect(spec.value.cache?.keyParts).toEqual(["Gemfile.lock", "ruby:{{ matrix.ruby }}", "jammy"]);
    expect(spec.value.jobIds).toEqual(["lint", "test"]);
    const uses = graph.deps.filter((d) => d.kind === Dependency_Kind.USES);
    expect(uses.map((d) => `${d.from} ${d.to}`)).toEqual([
      "job:lint-ruby3.3 cache:bundler",
      "job:test-ruby3.2 cache:bundler",
      "job:test-ruby3.3 cache:bundler",
    ]);
    expect(uses[0]?.reason).toBe("lint uses cache bundler");
  });

  it("does not treat a key as a matrix reference unless every user of the cache has it", () => {
    const schema = schemaOf(
      [
        { id: "test", caches: ["c"], matrix: matrix({ ruby: ["3.3"] }) },
        { id: "lint", caches: ["c"] },
      ],
      {
        caches: [{ name: "c", keyParts: ["ruby:{{ ruby }}"] }],
      },
    );
    const graph = buildJobGraph(schema, {}, echoLocator);
    expect(graph.diagnostics).toHaveLength(1);
    const [d] = graph.diagnostics;
    expect(d?.code).toBe(GRAPH_CODES.unknownVariable);
    expect(d?.message).toContain('"ruby" is a matrix key of "test" but not of "lint", which also uses this cache.');
    expect(d?.loc?.path).toBe('["caches","c","key_parts",0]');
  });
});

describe("job graph determinism and size", () => {
  it("gives identical bytes whatever the job order and map key order", () => {
    const build = (reverse: boolean) => {
      const env: Record<string, string> = reverse ? { Z: "{{ v }}", A: "a" } : { A: "a", Z: "{{ v }}" };
      const schema = schemaOf(
        [
          { id: "a", env, matrix: matrix({ x: ["1", "2"] }, [reverse ? { y: "q", x: "1" } : { x: "1", y: "q" }]) },
          { id: "b", needs: ["a"], passthrough: { github: reverse ? { b: 1, a: { d: 2, c: 3 } } : { a: { c: 3, d: 2 }, b: 1 } } },
        ],
        { variables: reverse ? { w: "2", v: "1" } : { v: "1", w: "2" } },
      );
      if (reverse) schema.jobs.reverse();
      return buildJobGraph(schema, {});
    };
    const bytes = (g: ReturnType<typeof buildJobGraph>) => [
      ...g.jobs.map((r) => Buffer.from(toBinary(ResourceSchema, r)).toString("hex")),
      ...g.deps.map((d) => Buffer.from(toBinary(DependencySchema, d)).toString("hex")),
    ];
    expect(bytes(build(true))).toEqual(bytes(build(false)));
    expect(jobOf(build(true).jobs[0]).matrix).toEqual({ x: "1", y: "q" });
  });

  it("builds 1,000 jobs with about 5,000 variants", () => {
    const jobs = Array.from({ length: 1000 }, (_, i) => {
      const id = `job${String(i).padStart(4, "0")}`;
      const needs = i === 0 ? [] : [`job${String(Math.floor(i / 2)).padStart(4, "0")}`, ...(i % 7 === 0 ? ["job0000"] : [])];
      const m =
        i % 4 === 0
          ? undefined
          : matrix({ ruby: ["3.2", "3.3", "3.4"], os: ["linux", "mac"] }, [], i % 4 === 1 ? [{ os: "mac", ruby: "3.2" }] : []);
      return {
        id,
        needs: [...new Set(needs.filter((n) => n !== id))],
        ...(m ? { matrix: m } : {}),
        steps: [
          {
            name: m ? "test {{ ruby }}" : "test",
            action: { case: "run" as const, value: { command: "bundle exec rspec --seed {{ SEED }}" } },
          },
        ],
      };
    });
    const started = performance.now();
    const graph = buildJobGraph(schemaOf(jobs, { variables: { SEED: "1" } }), {});
    const elapsed = performance.now() - started;
    expect(graph.diagnostics).toEqual([]);
    // 250 plain jobs, 250 × 5 variants, 500 × 6 variants.
    expect(graph.jobs).toHaveLength(250 + 250 * 5 + 500 * 6);
    const position = new Map(graph.jobs.map((r, i) => [r.id, i]));
    for (const d of graph.deps) {
      if (d.kind === Dependency_Kind.NEEDS) expect(position.get(d.to) ?? Infinity).toBeLessThan(position.get(d.from) ?? -1);
    }
    expect(jobOf(graph.jobs.at(-1)).steps[0]?.action).toMatchObject({ value: { command: "bundle exec rspec --seed 1" } });
    // Informational only: the assertion is correctness, timing is the benchmark's job.
    console.log(`graph of ${graph.jobs.length} variants, ${graph.deps.length} deps in ${elapsed.toFixed(0)} ms`);
  });
});

describe("UTF-8 order", () => {
  it("sorts by code point, unlike JavaScript's UTF-16 comparison", () => {
    const astral = "\u{1F600}";
    const high = "\uFFFD";
    expect(high < astral).toBe(false); // UTF-16 puts the surrogate pair first…
    expect(compareUtf8(high, astral)).toBeLessThan(0); // …UTF-8 bytes (EF… < F0…) do not.
    expect(["b", "a-b", "a", "A", "a.b"].sort(compareUtf8)).toEqual(["A", "a", "a-b", "a.b", "b"]);
    expect(compareUtf8("same", "same")).toBe(0);
  });
});
