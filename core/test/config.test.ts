// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { CigSchemaSchema, type Diagnostic, Diagnostic_Level } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { CONFIG_CODES, type ConfigCode, DEFAULT_OUTPUT, formatDiagnostic, loadConfig } from "../src/config/index.js";
import { REPO_ROOT } from "./process-helpers.js";

const FIXTURES = join(REPO_ROOT, "core/test/fixtures/config");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const V = 'version = "0.2"\n';

/** "CODE@line:col" for every diagnostic, in the order reported. */
const places = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.column}`);

describe("the seed's example", () => {
  it("loads without diagnostics and maps to the expected CigSchema", () => {
    const result = loadConfig(fixture("seed.toml"), "cig.toml");
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(toJson(CigSchemaSchema, result.schema ?? expect.fail("no schema"))).toEqual(JSON.parse(fixture("seed.expected.json")));
  });

  it("accepts the seed's TOML 1.1 snippets: a multi-line inline skip_if and module steps", () => {
    const text = `${V}[jobs.test]
skip_if = {
  paths_unmodified = ["app/**", "spec/**"],
  env = ["SKIP_TESTS"],
  branch = ["dependabot/*"]
}
steps = [
  { uses = "lang/ruby@~1.2", with = { version = "3.3" } },
  { uses = "db/postgres@^2.0", with = { version = "15" } },
  { run = "bundle exec rspec" }
]
`;
    const { schema, diagnostics } = loadConfig(text, "cig.toml");
    expect(diagnostics).toEqual([]);
    const job = schema?.jobs[0];
    expect(job?.skipIf?.branch).toEqual(["dependabot/*"]);
    expect(
      job?.steps.map((s) => (s.action.case === "uses" ? s.action.value.ref : s.action.case === "run" ? s.action.value.command : "")),
    ).toEqual(["lang/ruby@~1.2", "db/postgres@^2.0", "bundle exec rspec"]);
  });
});

describe("mapping to CigSchema", () => {
  const { schema, diagnostics } = loadConfig(fixture("full.toml"), "ci/cig.toml");
  const s = schema ?? expect.fail("full.toml did not load");
  const job = (id: string) => s.jobs.find((j) => j.id === id) ?? expect.fail(`no job ${id}`);

  it("loads the every-key fixture cleanly", () => expect(places(diagnostics)).toEqual([]));

  it("sorts tables by name and keeps arrays in file order", () => {
    expect(s.jobs.map((j) => j.id)).toEqual(["lint", "test"]);
    expect(s.caches.map((c) => c.name)).toEqual(["a_first", "bundler"]);
    expect(s.runners.map((r) => r.name)).toEqual(["linux", "linux-large"]);
    expect(s.plugins.map((p) => [p.name, p.constraint, p.source])).toEqual([
      ["acme/deploy", "^2.0", "registry.example.com"],
      ["lang/ruby", "~1.2", ""],
    ]);
    expect(s.outputs.map((o) => o.provider)).toEqual(["circleci", "github"]);
    expect(job("test").needs).toEqual(["lint"]);
    expect(job("lint").services.map((x) => x.name)).toEqual(["postgres", "redis"]);
  });

  it("maps the workflow: triggers in a fixed order, permissions, concurrency, env as text", () => {
    const w = s.workflow ?? expect.fail("no workflow");
    expect(w.triggers.map((t) => t.kind.case)).toEqual(["push", "pullRequest", "schedule", "schedule", "manual"]);
    expect(toJson(CigSchemaSchema, s)).toMatchObject({
      workflow: {
        triggers: [
          { push: { branches: ["main"], branchesIgnore: ["tmp/*"], tags: ["v*"], paths: ["src/**"], pathsIgnore: ["docs/**"] } },
          { pullRequest: { branches: ["main"], types: ["opened", "synchronize"] } },
          { schedule: { cron: "0 4 * * 1" } },
          { schedule: { cron: "30 2 1 * *" } },
          { manual: { inputs: { reason: "Why run by hand" } } },
        ],
        permissions: { contents: "read", "id-token": "write" },
        concurrency: { group: "ci-${{ github.ref }}", cancelInProgress: true },
        env: { TZ: "UTC", PORT: "5432", DEBUG: "false" },
      },
    });
    expect(s.variables).toEqual({ NODE_VERSION: "20", RUBY_VERSION: "3.3" });
    expect(s.sourcePath).toBe("ci/cig.toml");
  });

  it("maps a job: if → condition, timeout → timeout_minutes, matrix as text in written order", () => {
    const t = job("test");
    expect(t).toMatchObject({ condition: "github.event_name == 'push'", timeoutMinutes: 30, runner: "linux-large", neverSkip: true });
    expect(t.inputs).toEqual(["Gemfile.lock", "ruby-{{ ruby }}"]);
    expect(t.matrix?.axes.map((a) => [a.name, a.values])).toEqual([
      ["ruby", ["3.2", "3.3"]],
      ["os", ["linux", "mac"]],
      ["experimental", ["false"]],
      ["node", ["20"]],
    ]);
    expect(t.matrix?.include.map((c) => c.values)).toEqual([{ ruby: "head", os: "linux", experimental: "true" }]);
    expect(t.matrix?.exclude.map((c) => c.values)).toEqual([{ ruby: "3.2", os: "mac" }]);
    expect(t.skipIf).toMatchObject({ pathsUnmodified: ["app/**"], env: ["SKIP_TESTS"], branch: ["dependabot/*"] });
  });

  it("passes provider tables through untouched, floats and nesting included", () => {
    expect(job("test").passthrough).toEqual({
      github: { environment: { name: "ci" }, "continue-on-error": "${{ matrix.experimental }}" },
      circleci: { parallelism: 4 },
      buildkite: { soft_fail: true },
      jenkins: { agent: "any" },
      gitlab: { interruptible: true, retry: 2.5 },
    });
    expect(job("test").steps[1]?.passthrough).toEqual({ github: { "timeout-minutes": 5 } });
    expect(job("test").services[0]?.passthrough).toEqual({ github: { options: "--shm-size=1g" } });
    expect(s.runners[1]?.providers).toEqual({
      github: { "runs-on": ["self-hosted", "linux"] },
      circleci: { resource_class: "xlarge" },
      buildkite: { agents: { queue: "large" } },
      jenkins: { label: "large" },
      gitlab: { tags: ["large"] },
    });
  });

  it("maps steps: uses + with as google.protobuf.Value, run + shell, every option", () => {
    const [uses, run] = job("test").steps;
    expect(uses?.action.case).toBe("uses");
    expect(toJson(CigSchemaSchema, s)).toMatchObject({
      jobs: [
        {},
        {
          steps: [
            {
              uses: {
                ref: "lang/ruby@~1.2",
                with: {
                  version: "{{ ruby }}",
                  bundler_cache: true,
                  jobs: 4,
                  ratio: 0.5,
                  tags: ["a", 1],
                  opts: { deep: { x: "y" } },
                  when: "2024-05-27",
                },
              },
            },
            {
              name: "Specs",
              id: "specs",
              condition: "success()",
              env: { COVERAGE: "true" },
              workingDirectory: "api",
              timeoutMinutes: 20,
              continueOnError: true,
              run: { command: "bundle exec rspec", shell: "bash" },
            },
          ],
        },
      ],
    });
    expect(run?.action.case).toBe("run");
  });

  it("maps services, both spellings, with health checks in seconds", () => {
    const [pg, redis] = job("test").services;
    expect(pg).toMatchObject({
      name: "postgres",
      image: "postgres:16",
      env: { POSTGRES_PASSWORD: "postgres" },
      ports: ["5432", "5433:5432"],
    });
    expect(pg?.health).toMatchObject({ command: "pg_isready", intervalSeconds: 10, timeoutSeconds: 5, retries: 3 });
    expect(redis).toMatchObject({ name: "redis", image: "" });
  });

  it("fills loc on jobs (the id) and steps (the table), with code-point columns", () => {
    expect(job("test").loc).toMatchObject({ path: "ci/cig.toml", line: 33, column: 7, endLine: 33, endColumn: 11 });
    expect(job("test").steps[0]?.loc).toMatchObject({ line: 58, column: 1, endColumn: 20 });
    expect(job("lint").steps[0]?.loc).toMatchObject({ line: 86, column: 10 });
  });

  it("makes the defaults explicit: push + pull_request, one GitHub output", () => {
    const { schema: min } = loadConfig(`${V}[jobs.a]\nsteps = [{ run = "make" }]\n`, "cig.toml");
    expect(min?.workflow?.triggers.map((t) => t.kind.case)).toEqual(["push", "pullRequest"]);
    expect(min?.outputs.map((o) => ({ provider: o.provider, path: o.path, description: o.description }))).toEqual([{ ...DEFAULT_OUTPUT }]);
    expect(min?.project).toMatchObject({ name: "", defaultRunner: "" });
    expect(min?.workflow?.concurrency).toBeUndefined();
    const { schema: off } = loadConfig(`${V}[on]\npush = false\nmanual = true\n`, "cig.toml");
    expect(off?.workflow?.triggers.map((t) => t.kind.case)).toEqual(["manual"]);
  });
});

interface Case {
  code: ConfigCode;
  toml: string;
  at: string;
  /** Substrings of the title and of the hint. */
  title?: string;
  hint?: string;
}

// One bad input per code, with the exact place the diagnostic must point at.
const CASES: Case[] = [
  { code: "CIG_CONFIG_SYNTAX", toml: `${V}name = hello\n`, at: "2:8", title: "invalid value", hint: 'name = "value"' },
  { code: "CIG_CONFIG_VERSION", toml: '[project]\nname = "x"\n', at: "1:1", title: "has no version", hint: 'version = "0.2"' },
  {
    code: "CIG_CONFIG_UNKNOWN_KEY",
    toml: `${V}[jobs.a]\nsteps = [{ run = "x" }]\ntimout = 5\n`,
    at: "4:1",
    hint: 'Did you mean "timeout"?',
  },
  { code: "CIG_CONFIG_MISSING_KEY", toml: `${V}[[outputs]]\nprovider = "github"\n`, at: "2:1", title: 'required key "path"' },
  {
    code: "CIG_CONFIG_TYPE",
    toml: `${V}[jobs.test]\nsteps = [{ run = "x" }]\ntimeout = "10m"\n`,
    at: "4:11",
    title: 'jobs.test.timeout must be a whole number of minutes, got "10m"',
    hint: "timeout = 10",
  },
  {
    code: "CIG_CONFIG_VALUE",
    toml: `${V}[permissions]\ncontents = "reed"\n`,
    at: "3:12",
    title: 'one of "read", "write", "none"',
    hint: '"read"',
  },
  { code: "CIG_CONFIG_BAD_JOB_ID", toml: `${V}[jobs."1st job"]\nsteps = [{ run = "x" }]\n`, at: "2:7", hint: '"_1st-job"' },
  { code: "CIG_CONFIG_BAD_NAME", toml: `${V}env = { "MY-VAR" = "1" }\n`, at: "2:9", title: '"MY-VAR" is not a valid name in env' },
  {
    code: "CIG_CONFIG_STEP_ACTION",
    toml: `${V}[jobs.a]\nsteps = [{ run = "x", uses = "a/b@1" }]\n`,
    at: "3:23",
    title: "both run and uses",
  },
  {
    code: "CIG_CONFIG_UNKNOWN_NEEDS",
    toml: `${V}[jobs.build]\nsteps = [{ run = "x" }]\n[jobs.deploy]\nneeds = ["buld"]\nsteps = [{ run = "y" }]\n`,
    at: "5:10",
    title: 'job "deploy" needs "buld", which is not a job',
    hint: 'Did you mean "build"?',
  },
  {
    code: "CIG_CONFIG_UNKNOWN_RUNNER",
    toml: `${V}[jobs.a]\nrunner = "linux-smal"\nsteps = [{ run = "x" }]\n[runners.linux-small]\ngithub = { runs-on = "ubuntu-latest" }\n`,
    at: "3:10",
    hint: 'Did you mean "linux-small"?',
  },
  {
    code: "CIG_CONFIG_RUNNER_NO_PROVIDER",
    toml: `${V}[project]\ndefault_runner = "linux"\n[jobs.a]\nsteps = [{ run = "x" }]\n[runners.linux]\ngithub = { runs-on = "ubuntu-latest" }\n[[outputs]]\nprovider = "github"\npath = ".github/workflows/ci.yml"\n[[outputs]]\nprovider = "gitlab"\npath = ".gitlab-ci.yml"\n`,
    at: "6:10",
    title: 'runner "linux" has no gitlab table, but gitlab is rendered',
    hint: 'gitlab = { tags = ["linux"] }',
  },
  {
    code: "CIG_CONFIG_UNKNOWN_CACHE",
    toml: `${V}[jobs.a]\ncaches = ["bundlr"]\nsteps = [{ run = "x" }]\n[caches.bundler]\npaths = ["vendor"]\n`,
    at: "3:11",
    hint: 'Did you mean "bundler"?',
  },
  {
    code: "CIG_CONFIG_UNKNOWN_AXIS",
    toml: `${V}[jobs.a]\nmatrix = { ruby = ["3.3"], exclude = [{ rubby = "3.3" }] }\nsteps = [{ run = "x" }]\n`,
    at: "3:41",
    hint: 'Did you mean "ruby"?',
  },
  {
    code: "CIG_CONFIG_DUPLICATE",
    toml: `${V}[jobs.a]\nsteps = [{ run = "x", id = "s" }, { run = "y", id = "s" }]\n`,
    at: "3:53",
    title: 'step id "s" is used twice',
  },
  { code: "CIG_CONFIG_EMPTY_JOB", toml: `${V}[jobs.lint]\n`, at: "2:7", title: 'job "lint" has no steps and no packages' },
];

describe("diagnostics: one bad input per code, at the exact line:col", () => {
  it("covers every code", () => expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(Object.keys(CONFIG_CODES))));

  it.each(CASES)("$code at $at", ({ code, toml, at, title, hint }) => {
    const { diagnostics, schema, ok } = loadConfig(toml, "cig.toml");
    expect(places(diagnostics)).toEqual([`${code}@${at}`]);
    const [d] = diagnostics;
    expect(d?.loc?.path).toBe("cig.toml");
    if (title) expect(d?.title).toContain(title);
    if (hint) expect(d?.fixHint).toContain(hint);
    expect(d?.fixHint).not.toBe("");
    const warning = code === "CIG_CONFIG_EMPTY_JOB";
    expect(d?.level).toBe(warning ? Diagnostic_Level.WARNING : Diagnostic_Level.ERROR);
    expect(ok).toBe(warning);
    expect(schema === undefined).toBe(!warning);
  });
});

describe("all problems in one run", () => {
  it("reports every problem of a file in file order, one diagnostic per mistake", () => {
    const { diagnostics, ok, schema } = loadConfig(fixture("many-problems.toml"), "cig.toml");
    expect(ok).toBe(false);
    expect(schema).toBeUndefined();
    expect(places(diagnostics)).toEqual([
      "CIG_CONFIG_UNKNOWN_KEY@2:1", // name at the top level → [project]
      "CIG_CONFIG_UNKNOWN_RUNNER@5:18", // default_runner "linux-lg"
      "CIG_CONFIG_TYPE@8:6", // PY = 3.10
      "CIG_CONFIG_TYPE@9:8", // RUBY = 3.0 (a float even though JavaScript sees 3)
      "CIG_CONFIG_TYPE@12:21", // branches = "main"
      "CIG_CONFIG_UNKNOWN_KEY@13:1", // pull-request
      "CIG_CONFIG_VALUE@14:22", // cron with four fields
      "CIG_CONFIG_VALUE@17:12", // contents = "rw"
      "CIG_CONFIG_UNKNOWN_KEY@18:1", // content
      "CIG_CONFIG_STEP_ACTION@22:19", // run and uses
      "CIG_CONFIG_UNKNOWN_KEY@23:5", // command (and no second "neither run nor uses")
      "CIG_CONFIG_STEP_ACTION@24:19", // run with `with`
      "CIG_CONFIG_STEP_ACTION@25:3", // neither
      "CIG_CONFIG_TYPE@27:11", // timeout = "10m"
      "CIG_CONFIG_UNKNOWN_KEY@28:1", // runs-on
      "CIG_CONFIG_UNKNOWN_KEY@29:1", // working-directory on a job
      "CIG_CONFIG_EMPTY_JOB@31:7",
      "CIG_CONFIG_UNKNOWN_NEEDS@32:10",
      "CIG_CONFIG_DUPLICATE@32:27", // "build" twice
      "CIG_CONFIG_UNKNOWN_CACHE@34:11",
      "CIG_CONFIG_UNKNOWN_KEY@35:1", // environment
      "CIG_CONFIG_TYPE@36:20", // matrix value 3.2
      "CIG_CONFIG_UNKNOWN_AXIS@36:46",
      "CIG_CONFIG_TYPE@37:96", // interval = "10s"
      "CIG_CONFIG_BAD_JOB_ID@39:7",
      "CIG_CONFIG_DUPLICATE@40:53", // step id twice
      "CIG_CONFIG_EMPTY_JOB@42:7",
      "CIG_CONFIG_UNKNOWN_KEY@46:1", // key → key_parts
      "CIG_CONFIG_UNKNOWN_KEY@49:1", // githb
      "CIG_CONFIG_VALUE@52:12", // provider "githubb"
      "CIG_CONFIG_DUPLICATE@57:8", // output path twice
      "CIG_CONFIG_MISSING_KEY@59:1", // [[outputs]] without provider
      "CIG_CONFIG_VALUE@60:8", // absolute output path
    ]);
  });

  it("stops after a syntax error, and after a version from a newer cig", () => {
    expect(places(loadConfig(`${V}[jobs.a\nsteps = 1\n`, "cig.toml").diagnostics)).toEqual(["CIG_CONFIG_SYNTAX@2:8"]);
    expect(places(loadConfig('version = "0.3"\nfuture = true\n', "cig.toml").diagnostics)).toEqual(["CIG_CONFIG_VERSION@1:11"]);
  });

  it("keeps checking a file with an old or mistyped version", () => {
    const old = loadConfig('version = "0.1"\nfuture = true\n', "cig.toml");
    expect(places(old.diagnostics)).toEqual(["CIG_CONFIG_VERSION@1:11", "CIG_CONFIG_UNKNOWN_KEY@2:1"]);
    const float = loadConfig("version = 0.2\n", "cig.toml").diagnostics[0];
    expect(float).toMatchObject({ code: "CIG_CONFIG_VERSION", fixHint: 'Quote it: version = "0.2".' });
  });
});

describe("one mistake, one diagnostic", () => {
  it.each([
    [
      "a float where text belongs",
      `${V}[variables]\nPY = 3.10\n`,
      "variables.PY must be a string, got the float 3.10",
      'Quote it: "3.10".',
    ],
    [
      "services of the wrong type",
      `${V}[jobs.a]\nservices = "postgres"\nsteps = [{ run = "x" }]\n`,
      "must be a list of service names or a table of services",
      "",
    ],
    ["a step with neither run nor uses", `${V}[jobs.a]\nsteps = [{ name = "x" }]\n`, "has neither run nor uses", ""],
    ["a step with with but no uses", `${V}[jobs.a]\nsteps = [{ with = { a = 1 } }]\n`, "has with but no uses", ""],
    [
      "needs as a string",
      `${V}[jobs.a]\nneeds = "b"\nsteps = [{ run = "x" }]\n`,
      'jobs.a.needs must be an array of job ids, got "b"',
      'needs = ["b"]',
    ],
    ["a push trigger of the wrong type", `${V}[on]\npush = "main"\n`, 'on.push must be true, false or a table of filters, got "main"', ""],
  ])("%s", (_what, toml, title, hint) => {
    const { diagnostics } = loadConfig(toml, "cig.toml");
    expect(diagnostics.map((d) => d.title)).toEqual([expect.stringContaining(title)]);
    if (hint) expect(diagnostics[0]?.fixHint).toContain(hint);
  });
});

describe("did you mean", () => {
  const hintFor = (toml: string) => loadConfig(`${V}${toml}`, "cig.toml").diagnostics.map((d) => d.fixHint);

  it("names the snake_case key for GitHub's kebab-case spelling", () => {
    expect(hintFor('[jobs.a]\nsteps = [{ run = "x", working-directory = "api" }]\n')).toEqual([
      'Did you mean "working_directory"? cig.toml keys use snake_case.',
    ]);
    expect(hintFor('[jobs.a]\nsteps = [{ run = "x", continue-on-error = true }]\n')[0]).toContain('"continue_on_error"');
  });

  it("maps names from other CI systems and typos", () => {
    expect(hintFor('[jobs.a]\ndepends_on = ["b"]\nsteps = [{ run = "x" }]\n')).toEqual(['Did you mean "needs"?']);
    expect(hintFor('[jobs.a]\nsteps = [{ run = "x" }]\nNEEDS = []\n')).toEqual(['Did you mean "needs"?']);
    expect(hintFor('[jobs.a]\nsteps = [{ script = "x" }]\n')).toEqual(['Did you mean "run"?']);
    expect(hintFor('[jobs.a]\nsteps = [{ run = "x" }]\ntimeout_minutes = 5\n')).toEqual(['Did you mean "timeout"?']);
  });

  it("points provider-native keys at the provider tables, and project keys at [project]", () => {
    expect(hintFor('[jobs.a]\nsteps = [{ run = "x" }]\npermissions = {}\n')[0]).toContain("github = { permissions = … }");
    expect(hintFor('default_runner = "x"\n')[0]).toContain("[project]");
    expect(hintFor('[runners.r]\nruns-on = "ubuntu-latest"\n')[0]).toContain("github = { runs-on = … }");
  });

  it("suggests nothing when nothing is close", () => {
    const [hint] = loadConfig(
      `${V}[jobs.a]\nneeds = ["zzz"]\nsteps = [{ run = "x" }]\n[jobs.b]\nsteps = [{ run = "y" }]\n`,
      "cig.toml",
    ).diagnostics.map((d) => d.fixHint);
    expect(hint).toBe('Name one of the jobs: "b".');
  });

  it("does not take a one-letter name for a typo of another", () => {
    const text = `${V}[jobs.a]\nneeds = ["b"]\nsteps = [{ run = "x" }]\n`;
    expect(loadConfig(text, "cig.toml").diagnostics[0]?.fixHint).toBe("There is no other job: declare [jobs.b], or remove the entry.");
  });

  it("explains that needs names jobs, not matrix variants", () => {
    const toml = `${V}[jobs.test]\nmatrix = { ruby = ["3.3"] }\nsteps = [{ run = "x" }]\n[jobs.b]\nneeds = ["test-ruby3.3"]\nsteps = [{ run = "y" }]\n`;
    expect(loadConfig(toml, "cig.toml").diagnostics[0]?.fixHint).toContain('"test" waits for every variant');
  });
});

describe("locate", () => {
  const text = `${V}[jobs.test]
needs = ["build", "lint"]
env.CI = "1"
[[jobs.test.steps]]
run = "make"
[[jobs.test.steps]]
uses = "a/b@1"
with = { "odd key" = { x = 1 } }
[jobs.build]
steps = [{ run = "é😀" }, { run = "after" }]
[jobs.lint]
steps = [{ run = "x" }]
`;
  const r = loadConfig(text, "cig.toml");
  const at = (path: (string | number)[], key = false) => {
    const loc = key ? r.locateKey(path) : r.locate(path);
    return loc && `${loc.line}:${loc.column}-${loc.endLine}:${loc.endColumn}`;
  };

  it("finds values and keys by path", () => {
    expect(r.diagnostics).toEqual([]);
    expect(at(["jobs", "test", "needs", 0])).toBe("3:10-3:17");
    expect(at(["jobs", "test", "needs", 1])).toBe("3:19-3:25");
    expect(at(["jobs", "test", "needs"], true)).toBe("3:1-3:6");
    expect(at(["jobs", "test"])).toBe("2:1-2:12");
    expect(at(["jobs", "test"], true)).toBe("2:7-2:11");
    expect(at(["jobs", "test", "env", "CI"])).toBe("4:10-4:13");
    expect(at(["jobs", "test", "env"], true)).toBe("4:1-4:4");
  });

  it("finds array-of-tables elements and quoted keys", () => {
    expect(at(["jobs", "test", "steps", 1])).toBe("7:1-7:20");
    expect(at(["jobs", "test", "steps", 1, "uses"])).toBe("8:8-8:15");
    expect(at(["jobs", "test", "steps", 1, "with", "odd key", "x"])).toBe("9:28-9:29");
    expect(at(["jobs", "test", "steps", 1, "with", "odd key"], true)).toBe("9:10-9:19");
  });

  it("counts columns in code points", () => {
    expect(at(["jobs", "build", "steps", 1, "run"])).toBe("11:34-11:41");
  });

  it("falls back to the nearest written ancestor", () => {
    expect(at(["jobs", "test", "matrix", "include", 0])).toBe(at(["jobs", "test"]));
    expect(at(["nothing"])).toBe("1:1-1:1");
  });

  it("ignores a byte order mark and handles CRLF line ends", () => {
    const crlf = loadConfig(
      `\uFEFF${V}[jobs.a]\r\nneeds = ["b"]\r\nsteps = [{ run = "x" }]\r\n`.replaceAll(/(?<!\r)\n/g, "\r\n"),
      "cig.toml",
    );
    expect(places(crlf.diagnostics)).toEqual(["CIG_CONFIG_UNKNOWN_NEEDS@3:10"]);
    expect(crlf.diagnostics[0]?.loc).toMatchObject({ endLine: 3, endColumn: 13 });
  });

  it("returns undefined when the file is not TOML", () => {
    expect(loadConfig("x = ", "cig.toml").locate(["x"])).toBeUndefined();
  });
});

describe("formatDiagnostic", () => {
  const text = `${V}[jobs.build]\nsteps = [{ run = "make" }]\n\n[jobs.deploy]\nneeds = ["buld"]\nsteps = [{ run = "ship" }]\n`;
  const [d] = loadConfig(text, "cig.toml").diagnostics;
  const diagnostic = d ?? expect.fail("no diagnostic");

  it("renders cargo style: headline, location, source line, carets, hint", () => {
    expect(formatDiagnostic(diagnostic, text)).toBe(
      [
        'error[CIG_CONFIG_UNKNOWN_NEEDS]: job "deploy" needs "buld", which is not a job',
        " --> cig.toml:6:10",
        "  |",
        '6 | needs = ["buld"]',
        "  |          ^^^^^^",
        '  = hint: Did you mean "build"?',
        "",
      ].join("\n"),
    );
  });

  it("renders without the source text, with a note when the message adds to the title", () => {
    const out = formatDiagnostic({ ...diagnostic, message: "More detail.", level: Diagnostic_Level.WARNING });
    expect(out).toBe(
      [
        'warning[CIG_CONFIG_UNKNOWN_NEEDS]: job "deploy" needs "buld", which is not a job',
        " --> cig.toml:6:10",
        "  = note: More detail.",
        '  = hint: Did you mean "build"?',
        "",
      ].join("\n"),
    );
  });

  it("expands tabs, underlines to the end of the line for multi-line spans, and colours on request", () => {
    const tabbed = `${V}[jobs.a]\nsteps = [\n\t{ name = "x" },\n]\n`;
    const [t] = loadConfig(tabbed, "cig.toml").diagnostics;
    expect(formatDiagnostic(t ?? expect.fail("none"), tabbed)).toContain('4 |     { name = "x" },\n  |     ^^^^^^^^^^^^^^');
    const multi = `${V}[jobs.a]\nsteps = [{ name = "x",\n  id = "y" }]\n`;
    const [m] = loadConfig(multi, "cig.toml").diagnostics;
    expect(formatDiagnostic(m ?? expect.fail("none"), multi)).toContain('3 | steps = [{ name = "x",\n  |          ^^^^^^^^^^^^^');
    expect(formatDiagnostic(diagnostic, text, { color: true })).toContain("\u001b[31merror[CIG_CONFIG_UNKNOWN_NEEDS]\u001b[0m");
  });

  it("renders a plugin's diagnostic without a location", () => {
    const plugin = { ...diagnostic, loc: undefined, plugin: "provider/github", code: "GH_001", title: "bad", message: "", fixHint: "" };
    expect(formatDiagnostic(plugin)).toBe("error[GH_001]: bad (provider/github)\n");
  });
});
