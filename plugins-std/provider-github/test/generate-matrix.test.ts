// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { job, request, run, variants } from "./request-builders.js";

// The schema side of a matrix job: axis and value order as written in cig.toml.
const schemaJob = (id: string, axes: Record<string, string[]>) => ({
  id,
  matrix: { axes: Object.entries(axes).map(([name, values]) => ({ name, values })) },
});
const product = (ruby: string[], arch: string[]) => ruby.flatMap((r) => arch.map((a) => ({ ruby: r, arch: a })));

describe("provider/github: matrix jobs", () => {
  it("groups identical variants into one job with strategy.matrix and ${{ matrix.x }}", async () => {
    const cells = product(["3.2", "3.3", "3.10"], ["amd64", "arm64"]);
    const { wf, yaml, codes } = await generateValid(
      request(
        [
          job("setup", { steps: [run("bin/setup")] }),
          ...variants("test", cells, {
            needs: ["job:setup"],
            runner: { name: "matrix", providers: { github: { "runs-on": "{{ matrix.arch }}-runner" } } },
            env: { RUBY: "{{ matrix.ruby }}" },
            steps: [run("bundle exec rspec # ruby {{ matrix.ruby }} on {{ matrix.arch }}", { name: "rspec {{ matrix.ruby }}" })],
          }),
          job("deploy", { needs: cells.map((c) => `job:test-ruby${c.ruby}-${c.arch}`), steps: [run("make deploy")] }),
        ],
        { jobs: [schemaJob("test", { ruby: ["3.2", "3.3", "3.10"], arch: ["amd64", "arm64"] })] },
      ),
    );
    expect(codes).toEqual([]);
    expect(Object.keys(wf.jobs)).toEqual(["setup", "test", "deploy"]);
    expect(wf.jobs.test.strategy).toEqual({ matrix: { ruby: ["3.2", "3.3", "3.10"], arch: ["amd64", "arm64"] }, "fail-fast": false });
    expect(yaml).toContain('ruby: ["3.2", "3.3", "3.10"]');
    expect(wf.jobs.test["runs-on"]).toBe("${{ matrix.arch }}-runner");
    expect(wf.jobs.test.env).toEqual({ RUBY: "${{ matrix.ruby }}" });
    expect(wf.jobs.test.steps[1]).toEqual({
      name: "rspec ${{ matrix.ruby }}",
      run: "bundle exec rspec # ruby ${{ matrix.ruby }} on ${{ matrix.arch }}",
    });
    // Six needed variants, one GitHub job.
    expect(wf.jobs.deploy.needs).toEqual(["test"]);
  });

  it("uses axes plus exclude when fewer cells are missing than kept, include otherwise", async () => {
    const full = product(["3.2", "3.3"], ["amd64", "arm64"]);
    const { wf } = await generateValid(
      request(
        [
          ...variants("a", full.slice(0, 3), { steps: [run("echo {{ matrix.ruby }}")] }),
          ...variants("b", [full[0], full[3]] as typeof full, { steps: [run("echo {{ matrix.arch }}")] }),
        ],
        {
          jobs: [
            schemaJob("a", { ruby: ["3.2", "3.3"], arch: ["amd64", "arm64"] }),
            schemaJob("b", { ruby: ["3.2", "3.3"], arch: ["amd64", "arm64"] }),
          ],
        },
      ),
    );
    expect(wf.jobs.a.strategy.matrix).toEqual({
      ruby: ["3.2", "3.3"],
      arch: ["amd64", "arm64"],
      exclude: [{ ruby: "3.3", arch: "arm64" }],
    });
    expect(wf.jobs.b.strategy.matrix).toEqual({
      include: [
        { ruby: "3.2", arch: "amd64" },
        { ruby: "3.3", arch: "arm64" },
      ],
    });
  });

  it("renders one job per variant, values substituted, when the variants differ", async () => {
    const cells = [{ ruby: "3.2" }, { ruby: "3.3" }];
    const graph = variants("test", cells, { steps: [run("rspec --ruby {{ matrix.ruby }}")] });
    // A module contributed an extra step to one variant only.
    const v33 = graph[1]?.spec;
    if (v33?.case === "job") v33.value.steps = [...(v33.value.steps ?? []), run("upload coverage")];
    const { wf, yaml, codes } = await generateValid(
      request([...graph, job("report", { needs: ["job:test-ruby3.2", "job:test-ruby3.3"], steps: [run("make report")] })]),
    );
    expect(codes).toEqual([]);
    expect(Object.keys(wf.jobs)).toEqual(["test-ruby3_2", "test-ruby3_3", "report"]);
    expect(wf.jobs["test-ruby3_2"]).toMatchObject({
      name: "test (3.2)",
      steps: [{ uses: "actions/checkout@v4" }, { run: "rspec --ruby 3.2" }],
    });
    expect(wf.jobs["test-ruby3_3"].steps).toHaveLength(3);
    expect(wf.jobs["test-ruby3_3"].strategy).toBeUndefined();
    expect(wf.jobs.report.needs).toEqual(["test-ruby3_2", "test-ruby3_3"]);
    expect(yaml).not.toContain("matrix");
  });

  it("splits a matrix job whose if uses the matrix (GitHub has no matrix context there)", async () => {
    const { wf } = await generateValid(
      request(variants("test", [{ os: "linux" }, { os: "mac" }], { condition: "'{{ matrix.os }}' == 'linux'", steps: [run("make")] })),
    );
    expect(Object.keys(wf.jobs)).toEqual(["test-linux", "test-mac"]);
    expect(wf.jobs["test-linux"].if).toBe("'linux' == 'linux'");
  });

  it("keeps a job that needs per-variant jobs grouped when its own variants line up", async () => {
    const cells = [{ ruby: "3.2" }, { ruby: "3.3" }];
    const build = variants("build", cells, { steps: [run("make build RUBY={{ matrix.ruby }}")] });
    const test = variants("test", cells, { steps: [run("make test")] }).map((r, i) => {
      if (r.spec?.case === "job") r.spec.value.needs = [build[i]?.id ?? ""];
      return r;
    });
    const { wf } = await generateValid(request([...build, ...test]));
    expect(Object.keys(wf.jobs)).toEqual(["build", "test"]);
    expect(wf.jobs.test.needs).toEqual(["build"]);
  });
});
