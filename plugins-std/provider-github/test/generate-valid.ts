/** Runs the plugin's generate hook in-process and holds every workflow it renders to the three validators. */
import type { GenerateResponse } from "@cig/proto";
import { createTestHarness, type TestHarness } from "@cig/sdk";
import { expect } from "vitest";
import { parse } from "yaml";
import { providerGithubDefinition } from "../src/plugin-definition.js";
import { validateWorkflow } from "./validate-workflow.js";

/** A parsed workflow, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary YAML.
export type Workflow = Record<string, any>;

/** The plugin under test, behind the SDK harness (every request and reply crosses protobuf binary). */
export const harness = createTestHarness(providerGithubDefinition);

/**
 * Generates, asserts at least one fragment and that actionlint,
 * @actions/workflow-parser and the JSON Schema find nothing wrong with any
 * of them, and returns the reply with the first workflow parsed.
 */
export async function generateValid(
  req: Parameters<TestHarness["generate"]>[0],
): Promise<{ res: GenerateResponse; yaml: string; wf: Workflow; codes: string[] }> {
  const res = await harness.generate(req);
  expect(res.fragments.length).toBeGreaterThan(0);
  for (const f of res.fragments) {
    expect({ path: f.path, problems: await validateWorkflow(f.content, f.path) }).toEqual({ path: f.path, problems: [] });
  }
  const yaml = (res.fragments[0] as GenerateResponse["fragments"][number]).content;
  return { res, yaml, wf: parse(yaml) as Workflow, codes: res.diagnostics.map((d) => d.code) };
}
