/** Runs the plugin's generate hook in-process and holds every config it renders to the CircleCI schema. */
import type { GenerateResponse } from "@cig/proto";
import { createTestHarness, type TestHarness } from "@cig/sdk";
import { expect } from "vitest";
import { parse } from "yaml";
import { providerCircleciDefinition } from "../src/plugin-definition.js";
import { validateCircleci } from "./validate-circleci.js";

/** A parsed config, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary YAML.
export type Config = Record<string, any>;

/** The plugin under test, behind the SDK harness (every request and reply crosses protobuf binary). */
export const harness = createTestHarness(providerCircleciDefinition);

/**
 * Generates, asserts at least one fragment and that the CircleCI schema
 * finds nothing wrong with any of them, and returns the reply with the
 * first config parsed.
 */
export async function generateValid(
  req: Parameters<TestHarness["generate"]>[0],
): Promise<{ res: GenerateResponse; yaml: string; cfg: Config; codes: string[] }> {
  const res = await harness.generate(req);
  expect(res.fragments.length).toBeGreaterThan(0);
  for (const f of res.fragments) {
    expect({ path: f.path, problems: await validateCircleci(f.content) }).toEqual({ path: f.path, problems: [] });
  }
  const yaml = (res.fragments[0] as GenerateResponse["fragments"][number]).content;
  return { res, yaml, cfg: parse(yaml) as Config, codes: res.diagnostics.map((d) => d.code) };
}
