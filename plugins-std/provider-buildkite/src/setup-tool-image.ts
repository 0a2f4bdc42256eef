import type { SetupToolAction } from "@cig/proto";

/** Tools with a mapping; anything else is a PROVIDER_BUILDKITE_UNKNOWN_TOOL error. */
export const SETUP_TOOLS = ["node", "ruby", "python", "go", "java", "bun", "pnpm", "yarn"] as const;

/** What a setup step becomes: the docker image it asks for and/or commands that run before the user's steps. */
export interface ToolSetup {
  /** An official Docker Hub image with the tool at the version, for the docker plugin. */
  image?: string;
  /** Shell commands the provider adds (corepack, bundle install). */
  commands: string[];
}

/**
 * The Buildkite rendering of a setup_tool step, or undefined for a tool
 * without a mapping. Languages map to their official Docker Hub images (the
 * versions cig's modules write — "20.11.1", "3.x", "stable", "lts/*" — to the
 * image tags that mean the same); package managers bundled with Node are
 * activated through Corepack, at the version asked for or at package.json's
 * `packageManager`.
 */
export function toolSetup(tool: SetupToolAction): ToolSetup | undefined {
  const v = tool.version.trim();
  switch (tool.tool) {
    case "node":
      return { image: `node:${nodeTag(v)}`, commands: [] };
    case "ruby":
      // setup-ruby's bundler cache installs the bundle; lang/ruby relies on it and adds no install step.
      return { image: `ruby:${v === "" || v === "ruby" ? "latest" : v}`, commands: tool.cache === "bundler" ? ["bundle install"] : [] };
    case "python":
      return { image: `python:${v === "" || v === "3.x" ? "3" : v.replace(/\.x$/, "")}`, commands: [] };
    case "go":
      return { image: `golang:${v === "" || v === "stable" ? "latest" : v.replace(/^go/, "")}`, commands: [] };
    case "java":
      return { image: `eclipse-temurin:${v || "21"}`, commands: [] };
    case "bun":
      return { image: `oven/bun:${v || "latest"}`, commands: [] };
    case "pnpm":
    case "yarn":
      return { commands: [v ? `corepack enable && corepack prepare ${tool.tool}@${v} --activate` : "corepack enable"] };
    default:
      return undefined;
  }
}

// nvm-style versions as the node image tags them: "lts/*" is `lts`, "lts/iron" is `iron`, "v20" is `20`.
function nodeTag(v: string): string {
  if (v === "" || v === "lts/*" || v === "lts" || v === "node" || v === "latest") return v === "node" || v === "latest" ? "latest" : "lts";
  if (v.startsWith("lts/")) return v.slice(4).toLowerCase();
  return v.replace(/^v/, "");
}
