/** Runs the plugin's generate hook in-process and holds every pipeline it renders to Buildkite's schema. */
import type { GenerateResponse } from "@cig/proto";
import { createTestHarness, type TestHarness } from "@cig/sdk";
import { expect } from "vitest";
import { parse } from "yaml";
import { providerBuildkiteDefinition } from "../src/plugin-definition.js";
import { validateBuildkite } from "./validate-buildkite.js";

/** A parsed pipeline, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary YAML.
export type Pipeline = Record<string, any>;

/** The plugin under test, behind the SDK harness (every request and reply crosses protobuf binary). */
export const harness = createTestHarness(providerBuildkiteDefinition);

/**
 * Generates, asserts at least one fragment and that Buildkite's schema finds
 * nothing wrong with any of them, and returns the reply with the first
 * pipeline parsed and its steps by key.
 */
export async function generateValid(
  req: Parameters<TestHarness["generate"]>[0],
): Promise<{ res: GenerateResponse; yaml: string; pl: Pipeline; byKey: Pipeline; codes: string[] }> {
  const res = await harness.generate(req);
  expect(res.fragments.length).toBeGreaterThan(0);
  for (const f of res.fragments) {
    expect({ path: f.path, problems: await validateBuildkite(f.content) }).toEqual({ path: f.path, problems: [] });
  }
  const yaml = (res.fragments[0] as GenerateResponse["fragments"][number]).content;
  const pl = parse(yaml) as Pipeline;
  const byKey = Object.fromEntries((pl.steps as Pipeline[]).map((s) => [s.key, s]));
  return { res, yaml, pl, byKey, codes: res.diagnostics.map((d) => d.code) };
}
