// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is hostile input that must stay inert, not a JS template.
import { MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness, lintRenderedAfterAll } from "./generate-valid.js";
import { readSkipMachinery, tokenize } from "./parse-jenkins.js";
import { job, request, run, setup, variants } from "./request-builders.js";

lintRenderedAfterAll();

// Everything that could end a Groovy string, start an interpolation, open or close a block, or comment out the rest.
const EVIL = "a'b ''' c\"d ${System.exit(1)} $HOME \\' \\\\ } { // x /* y */ \n}}} ''' end\\";

describe("provider/jenkins: user text stays inert", () => {
  it("quotes commands, names, env values, matrix values and paths so they read back exactly", async () => {
    const cells = [{ flavour: EVIL }];
    const graph = [
      ...variants("t", cells, {
        env: { EVIL },
        steps: [
          run(`echo ${EVIL} {{ matrix.flavour }}`, { name: EVIL, env: { STEP: EVIL }, workingDirectory: EVIL }),
          run("echo '$PATH' \"${PWD}\" `id` \\n", { condition: "branch == 'it''s ${x} // }'" }),
          setup("node", EVIL),
        ],
        condition: "tag == 'a''b\\' || branch == '}'",
      }),
    ];
    const { text, jobs, codes } = await generateValid(request(graph));
    expect(codes).toEqual([]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.commands).toEqual([`echo ${EVIL} ${EVIL}`, "echo '$PATH' \"${PWD}\" `id` \\n"]);
    expect(jobs[0]?.matrix).toEqual({ flavour: EVIL });
    expect(jobs[0]?.condition).toBe("tag == 'a''b\\' || branch == '}'");
    // No GString carries user text: every double-quoted literal is the provider's own.
    const gstrings = tokenize(text).filter((t) => t.t === "str" && t.q?.startsWith('"'));
    expect(gstrings.length).toBeGreaterThan(0);
    for (const g of gstrings) expect(g.v).toMatch(/^(MISE_DATA_DIR|PATH\+MISE)=\$\{env\.WORKSPACE\}\/\.cig\/mise/);
    // An invalid Docker tag is not an image: the tool falls back to mise, with its version quoted.
    expect(text).not.toContain("image 'node:");
  });

  it("keeps a hostile service and provider table inert, and refuses table keys that are not Groovy names", async () => {
    const { res, jobs } = await generateValid(
      request([
        job("svc", {
          services: [{ name: "db'}", image: `postgres:16${EVIL}`, env: { P: EVIL }, health: { command: EVIL } }],
          passthrough: { jenkins: { environment: { X: EVIL }, "evil key() }": "x", options: { "bad(": true } } },
          steps: [run("true", { passthrough: { jenkins: { label: EVIL } } })],
        }),
      ]),
    );
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_JENKINS_BAD_PASSTHROUGH", "PROVIDER_JENKINS_BAD_PASSTHROUGH"]);
    expect(jobs[0]?.services).toEqual([`postgres:16${EVIL}`]);
    expect(jobs[0]?.commands).toEqual(["true"]);
  });

  it("keeps ids, cig's command and the force variable inert in the skip machinery", async () => {
    const id = `s${EVIL}`;
    const { text, jobs, codes } = await generateValid(
      request(
        [job(id, { skippable: true, steps: [run("true")] }), job("plain", { needs: [`job:${id}`], skippable: true, steps: [run("true")] })],
        { signatures: { command: EVIL, forceEnv: EVIL, salt: EVIL, storeDir: EVIL } },
      ),
    );
    expect(codes).toEqual([]);
    expect(jobs.map((j) => [j.id, j.needs])).toEqual([
      ["plain", [id]],
      [id, []],
    ]);
    const machinery = readSkipMachinery(text);
    expect(machinery.computeScript).toBe(`${EVIL} compute-signatures --lines`);
    expect(machinery.checked).toEqual(["plain", id]);
    // The id reaches the shell as one literal word, the signature only through the environment.
    expect(machinery.recorded).toEqual({
      plain: `${EVIL} record-pass plain --signature "$CIG_SIG"`,
      [id]: `${EVIL} record-pass '${id.replaceAll("'", "'\\''")}' --signature "$CIG_SIG"`,
    });
    const tokens = tokenize(text);
    const forceName = tokens.findIndex((t, i) => t.v === "string" && tokens[i + 2]?.v === "name");
    expect(tokens[forceName + 4]).toMatchObject({ t: "str", v: EVIL, q: "'''" });
    // The warning of a failed record names the stage in a literal of its own.
    const warnings = tokens.filter((t) => t.t === "str" && t.v.startsWith("cig: warning: could not record the pass of stage "));
    expect(warnings.map((t) => t.v)).toEqual(
      [id, "plain"].map((s) => `cig: warning: could not record the pass of stage ${s} (cig record-pass exited `),
    );
    expect(warnings.every((t) => t.q?.startsWith("'"))).toBe(true);
    // Not one GString: the map values join single-quoted literals with `+`.
    expect(tokens.filter((t) => t.t === "str" && t.q?.startsWith('"'))).toEqual([]);
  });

  it("validate reports a merged Jenkinsfile whose structure is broken", async () => {
    const ok = (await harness.generate(request([job("a", { steps: [run("echo '}'")] })]))).fragments;
    expect((await harness.validate({ rendered: ok })).diagnostics).toEqual([]);
    for (const content of ["pipeline {\n  stages {\n", "pipeline { stages { sh 'x } }", "node { }\n", "pipeline { stages { } ) }"]) {
      const res = await harness.validate({ rendered: [{ path: "Jenkinsfile", content, strategy: MergeStrategy.REPLACE }] });
      expect([content, res.diagnostics.map((d) => d.code)]).toEqual([content, ["PROVIDER_JENKINS_INVALID_PIPELINE"]]);
    }
    const elsewhere = await harness.validate({ rendered: [{ path: "README.md", content: "{", strategy: MergeStrategy.REPLACE }] });
    expect(elsewhere.diagnostics).toEqual([]);
  });
});
