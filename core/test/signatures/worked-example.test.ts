import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildJobGraph } from "../../src/graph/index.js";
import { filesSection } from "../../src/signatures/file-records.js";
import { computeSignatures, encodeStream, readRepoState, SignatureStream, variantsFromGraph } from "../../src/signatures/index.js";
import { schemaOf } from "../graph-fixtures.js";
import { REPO_ROOT } from "../process-helpers.js";
import { gitRepo } from "./git-repo.js";
import { run } from "./sign-fixture.js";

const DOC = readFileSync(join(REPO_ROOT, "docs/work-signatures.md"), "utf8");

/** The fenced block right after `<!-- name -->` in the doc. */
function block(name: string): string {
  const at = DOC.indexOf(`<!-- ${name} -->`);
  expect(at, `marker ${name} in docs/work-signatures.md`).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)```/u.exec(DOC.slice(at));
  expect(match, `a code block after ${name}`).not.toBeNull();
  return match?.[1] ?? "";
}

/** The stream as the doc annotates it: "<hex bytes>  <comment>" per line. */
function annotatedHex(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (line.split(/ {2,}/u)[0] ?? "").replace(/ /gu, ""))
    .join("");
}

describe("docs/work-signatures.md worked example", () => {
  it("matches the stream and signature cig computes for the example repository", async () => {
    const root = gitRepo({ "README.md": "hello\n", "src/app.js": "console.log(1);\n" });
    const facts = { node_version: "20.11.1" };
    const schema = schemaOf([
      { id: "build", packages: ["node"], skipIf: { pathsUnmodified: ["src/**"], env: ["CI_MODE"] }, steps: [run("npm run build")] },
    ]);
    const variants = variantsFromGraph(buildJobGraph(schema, facts).jobs, facts);
    const repo = await readRepoState(root);
    const { results } = await computeSignatures({ variants, repo, env: {}, configDir: root });
    const [result] = results;
    const variant = variants[0];
    if (!result || !variant) throw new Error("no variant signed");

    expect(block("worked-example-definition").trim()).toBe(variant.definition);
    const stream = encodeStream(new SignatureStream(), {
      salt: "",
      files: filesSection(result.components.files),
      patterns: ["src/**"],
      env: [["CI_MODE", undefined]],
      upstream: [],
      tools: [["node_version", "20.11.1"]],
      definition: variant.definition,
    });
    expect(annotatedHex(block("worked-example-stream")), `stream hex:\n${stream.toString("hex")}`).toBe(stream.toString("hex"));
    expect(block("worked-example-signature").trim()).toBe(result.signature);
    expect(DOC).toContain(`BLAKE3-256 of those ${stream.length} bytes`);
    expect(DOC).toContain(`Its canonical definition (${Buffer.byteLength(variant.definition)} bytes)`);
  });
});
