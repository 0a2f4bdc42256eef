/**
 * Runs the plugin's generate hook in-process, reads every Jenkinsfile it
 * renders back with the test parser (the declarative structure check), and
 * queues it for npm-groovy-lint: {@link lintRenderedAfterAll} lints every
 * file a test file rendered in one linter run (a JVM start costs seconds)
 * and asserts none has a problem, naming the test that rendered it.
 */
import type { GenerateResponse } from "@cig/proto";
import { createTestHarness, type TestHarness } from "@cig/sdk";
import { afterAll, expect } from "vitest";
import type { NeutralGraph } from "../../../golden-tests/neutral-graph.js";
import { providerJenkinsDefinition } from "../src/plugin-definition.js";
import { parseJenkins } from "./parse-jenkins.js";
import { validateJenkinsFiles } from "./validate-jenkins.js";

/** The plugin under test, behind the SDK harness (every request and reply crosses protobuf binary). */
export const harness = createTestHarness(providerJenkinsDefinition);

const rendered: Array<{ test: string; content: string }> = [];

/** Queues a rendered file for the linter run of {@link lintRenderedAfterAll}. */
export function queueForLint(content: string): void {
  rendered.push({ test: expect.getState().currentTestName ?? "?", content });
}

/**
 * Generates, asserts at least one fragment, parses each (throws on text the
 * parser cannot read) and queues it for the linter; returns the reply, the
 * first file's text, its neutral graph and the diagnostic codes.
 */
export async function generateValid(
  req: Parameters<TestHarness["generate"]>[0],
): Promise<{ res: GenerateResponse; text: string; jobs: NeutralGraph; codes: string[] }> {
  const res = await harness.generate(req);
  expect(res.fragments.length).toBeGreaterThan(0);
  for (const f of res.fragments) {
    parseJenkins(f.content);
    queueForLint(f.content);
  }
  const text = (res.fragments[0] as GenerateResponse["fragments"][number]).content;
  return { res, text, jobs: parseJenkins(text), codes: res.diagnostics.map((d) => d.code) };
}

/** Registers the afterAll that lints every queued file at once and expects no problems. */
export function lintRenderedAfterAll(): void {
  afterAll(async () => {
    const problems = await validateJenkinsFiles(rendered.map((r) => r.content));
    expect(rendered.map((r, i) => ({ test: r.test, problems: problems[i] }))).toEqual(
      rendered.map((r) => ({ test: r.test, problems: [] })),
    );
  }, 120_000);
}
