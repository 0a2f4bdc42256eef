import { create } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  buildJobGraph,
  didYouMean,
  GRAPH_CODES,
  type InterpolationScope,
  interpolate,
  replaceMatrixRefs,
  substituteMatrix,
} from "../src/graph/index.js";
import { echoLocator, jobOf, matrix, schemaOf } from "./graph-fixtures.js";

const scope: InterpolationScope = {
  matrix: new Set(["ruby", "os"]),
  variables: { RUBY_VERSION: "3.3", ruby: "shadowed", region: "eu" },
  facts: { ruby_version: "3.3.0", region: "us" },
};

describe("interpolate", () => {
  it.each([
    ["bundle exec rspec", "bundle exec rspec"],
    ["ruby:{{ ruby_version }}", "ruby:3.3.0"],
    ["{{RUBY_VERSION}}-{{   RUBY_VERSION }}", "3.3-3.3"],
    // Matrix keys win and stay as normalised placeholders.
    ["{{ ruby }} on {{os}}", "{{ matrix.ruby }} on {{ matrix.os }}"],
    ["{{ matrix.ruby }}", "{{ matrix.ruby }}"],
    // Variables win over facts; the prefixed forms pick one.
    ["{{ region }} {{ vars.region }} {{ facts.region }} {{ vars.ruby }}", "eu eu us shadowed"],
    // GitHub expressions and things that are not names are left alone.
    [
      `\${{ matrix.ruby }} \${{ secrets.TOKEN }} \${{ format('{{0}}', ruby) }}`,
      `\${{ matrix.ruby }} \${{ secrets.TOKEN }} \${{ format('{{0}}', ruby) }}`,
    ],
    ["docker inspect -f '{{.State.Health.Status}}' db; {{ json . }}", "docker inspect -f '{{.State.Health.Status}}' db; {{ json . }}"],
    ["{{ 1x }} {{}}", "{{ 1x }} {{}}"],
  ])("%j → %j", (text, expected) => {
    expect(interpolate(text, scope)).toEqual({ text: expected, unknown: [] });
  });

  it("substitutes once: a value containing braces is not scanned again", () => {
    expect(interpolate("{{ a }}", { matrix: new Set(), variables: { a: "{{ b }}", b: "x" }, facts: {} }).text).toBe("{{ b }}");
  });

  it("leaves unknown references in place and lists each once", () => {
    const result = interpolate("{{ rubby }} {{ rubby }} {{ vars.ruby_version }} {{ facts.nope }} {{ matrix.arch }}", scope);
    expect(result.text).toBe("{{ rubby }} {{ rubby }} {{ vars.ruby_version }} {{ facts.nope }} {{ matrix.arch }}");
    expect(result.unknown).toEqual([
      { text: "{{ rubby }}", namespace: undefined, name: "rubby" },
      { text: "{{ vars.ruby_version }}", namespace: "vars", name: "ruby_version" },
      { text: "{{ facts.nope }}", namespace: "facts", name: "nope" },
      { text: "{{ matrix.arch }}", namespace: "matrix", name: "arch" },
    ]);
  });

  it("does not look names up on Object.prototype", () => {
    expect(interpolate("{{ constructor }}", { matrix: new Set(), variables: {}, facts: {} }).unknown).toHaveLength(1);
  });
});

describe("matrix references for providers", () => {
  it("substitutes a variant's values; keys it lacks become empty, as on GitHub", () => {
    expect(substituteMatrix("ruby {{ matrix.ruby }} {{matrix.os}}!{{ matrix.extra }}", { ruby: "3.2", os: "linux" })).toBe(
      "ruby 3.2 linux!",
    );
    expect(substituteMatrix(`\${{ matrix.ruby }} {{ other }}`, { ruby: "3.2" })).toBe(`\${{ matrix.ruby }} {{ other }}`);
  });

  it("maps references to native syntax", () => {
    expect(replaceMatrixRefs("ruby:{{ matrix.ruby }}", (k) => `\${{ matrix.${k} }}`)).toBe(`ruby:\${{ matrix.ruby }}`);
  });
});

describe("did you mean", () => {
  it("finds typos, transpositions and case differences, and nothing far away", () => {
    expect(didYouMean("rubby", ["ruby", "node"])).toBe("ruby");
    expect(didYouMean("ubild", ["build", "test"])).toBe("build");
    expect(didYouMean("RUBY_VERSION", ["ruby_version", "RUBY_VERSIONS"])).toBe("ruby_version");
    expect(didYouMean("deploy", ["build", "test"])).toBeUndefined();
  });
});

describe("interpolation in the job graph", () => {
  const schema = schemaOf(
    [
      {
        id: "test",
        matrix: matrix({ ruby: ["3.2", "3.3"] }),
        env: { RUBY: "{{ ruby }}", REGION: "{{ region }}" },
        inputs: ["ruby:{{ ruby_version }}"],
        condition: "{{ not_interpolated }}",
        steps: [
          {
            name: "rspec on {{ ruby }}",
            env: { TZ: "{{ tz }}" },
            workingDirectory: "{{ dir }}",
            passthrough: { github: { "timeout-minutes": "{{ untouched }}" } },
            action: { case: "run", value: { command: `bundle exec rspec # \${{ github.sha }} {{ vars.region }}` } },
          },
          {
            action: {
              case: "uses",
              value: {
                ref: "lang/ruby@~1.2",
                with: {
                  version: create(ValueSchema, { kind: { case: "stringValue", value: "{{ matrix.ruby }}" } }),
                  push: create(ValueSchema, { kind: { case: "boolValue", value: false } }),
                  nested: create(ValueSchema, {
                    kind: {
                      case: "structValue",
                      value: {
                        fields: {
                          list: {
                            kind: { case: "listValue", value: { values: [{ kind: { case: "stringValue", value: "{{ region }}" } }] } },
                          },
                        },
                      },
                    },
                  }),
                },
              },
            },
          },
        ],
        services: [{ name: "postgres", image: "postgres:{{ pg }}", env: { POSTGRES_DB: "app_{{ ruby }}" } }],
      },
    ],
    { variables: { region: "eu", tz: "UTC", dir: "app", pg: "16" } },
  );

  it("interpolates the documented places and leaves matrix references for providers", () => {
    const graph = buildJobGraph(schema, { ruby_version: "3.3.0" });
    expect(graph.diagnostics).toEqual([]);
    const job = jobOf(graph.jobs[0]);
    expect(job.env).toEqual({ REGION: "eu", RUBY: "{{ matrix.ruby }}" });
    expect(job.inputs).toEqual(["ruby:3.3.0"]);
    expect(job.condition).toBe("{{ not_interpolated }}");
    const [run, uses] = job.steps;
    expect(run?.name).toBe("rspec on {{ matrix.ruby }}");
    expect(run?.env).toEqual({ TZ: "UTC" });
    expect(run?.workingDirectory).toBe("app");
    expect(run?.passthrough).toEqual({ github: { "timeout-minutes": "{{ untouched }}" } });
    expect(run?.action).toMatchObject({ case: "run", value: { command: `bundle exec rspec # \${{ github.sha }} eu` } });
    if (uses?.action.case !== "uses") throw new Error("expected a uses step");
    const w = uses.action.value.with;
    expect(w.version?.kind).toEqual({ case: "stringValue", value: "{{ matrix.ruby }}" });
    expect(w.push?.kind).toEqual({ case: "boolValue", value: false });
    const nested = w.nested?.kind.case === "structValue" ? w.nested.kind.value.fields.list?.kind : undefined;
    expect(nested?.case === "listValue" && nested.value.values[0]?.kind).toEqual({ case: "stringValue", value: "eu" });
    expect(job.services[0]).toMatchObject({ image: "postgres:16", env: { POSTGRES_DB: "app_{{ matrix.ruby }}" } });
    // A provider without native matrices fills in each variant's value.
    expect(substituteMatrix(run?.name ?? "", jobOf(graph.jobs[1]).matrix)).toBe("rspec on 3.3");
  });

  it("reports every unknown name with a hint and the place it is written", () => {
    const graph = buildJobGraph(schema, { ruby_versoin: "3.3.0" }, echoLocator);
    expect(graph.diagnostics.every((d) => d.code === GRAPH_CODES.unknownVariable)).toBe(true);
    const [d] = graph.diagnostics;
    expect(d?.title).toBe("unknown variable ruby_version in job test");
    expect(d?.message).toBe(
      "{{ ruby_version }} in jobs.test.inputs[0] is not a matrix key of job test, an entry of [variables] or a detected fact.",
    );
    expect(d?.fixHint).toBe('Did you mean "ruby_versoin"? Otherwise define ruby_version under [variables].');
    expect(d?.loc?.path).toBe('["jobs","test","inputs",0]');
  });

  it("points at the step when the locator does not know the string's path", () => {
    const bad = schemaOf([
      {
        id: "a",
        loc: { path: "cig.toml", line: 1, column: 1 },
        steps: [
          { loc: { path: "cig.toml", line: 4, column: 3 }, action: { case: "run", value: { command: "{{ vars.nope }} {{ secrets.X }}" } } },
        ],
      },
    ]);
    const graph = buildJobGraph(bad, {}, () => undefined);
    expect(graph.diagnostics.map((d) => [d.loc?.line, d.title])).toEqual([
      [4, "unknown variable secrets.X in job a"],
      [4, "unknown variable vars.nope in job a"],
    ]);
    expect(graph.diagnostics[0]?.fixHint).toMatch(/For a provider expression write \$\{\{ secrets.X \}\}\./);
    expect(graph.diagnostics[1]?.message).toMatch(/is not defined in \[variables\]/);
    expect(graph.diagnostics[1]?.resourceId).toBe("job:a");
  });
});
