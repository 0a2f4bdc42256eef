import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  CacheAction_Operation,
  type DetectRequestSchema,
  type GenerateRequestSchema,
  MergeStrategy,
  type PlanRequestSchema,
  type PreflightRequestSchema,
  Resource_Kind,
  type ValidateRequestSchema,
} from "@cig/proto";

/** A named request for one hook. */
export interface EdgeCase<S> {
  name: string;
  request: S;
}

const enc = new TextEncoder();
const UNICODE_FILES: Record<string, string> = {
  "package.json": '{"name":"ünïcödé","engines":{"node":">=20"}}\n',
  Gemfile: 'source "https://rubygems.org"\n',
  "src/naïve file.rb": "puts 'héllo'\n",
  "日本/ファイル.txt": "こんにちは\n",
  "with space/Dockerfile": "FROM node:20\n",
  ".github/workflows/ci.yml": "on: push\njobs: {}\n",
  "emoji-🚀.md": "🚀\n",
};

/** A temporary repository with awkward names, for detect. */
function awkwardRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "cig-conformance-"));
  for (const [path, text] of Object.entries(UNICODE_FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function detectCases(): EdgeCase<MessageInitShape<typeof DetectRequestSchema>>[] {
  const root = awkwardRepo();
  const files = Object.entries(UNICODE_FILES)
    .map(([path, text]) => ({ path, size: BigInt(enc.encode(text).length), mode: 0o100644, content: enc.encode(text) }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const many = Array.from({ length: 20_000 }, (_, i) => ({ path: `pkg${i % 200}/src/file${i}.ts`, size: 100n, mode: 0o100644 }));
  return [
    { name: "empty request", request: {} },
    { name: "empty repository", request: { repo: { root, files: [] } } },
    { name: "unicode and space paths", request: { repo: { root, files, git: { present: true, commit: "0".repeat(40), branch: "main" } } } },
    { name: "20,000 files", request: { repo: { root, files: many } } },
  ];
}

const job = {
  id: "test",
  needs: [],
  matrix: { axes: [{ name: "ruby", values: ["3.2", "3.3"] }] },
  packages: ["ruby"],
  steps: [
    { name: "checkout", action: { case: "checkout" as const, value: { fetchDepth: 1 } } },
    { name: "tests ✓", action: { case: "run" as const, value: { command: "bundle exec rspec # ünïcödé" } } },
    { action: { case: "cache" as const, value: { name: "bundler", operation: CacheAction_Operation.RESTORE_AND_SAVE } } },
  ],
  runner: "linux",
};
const schema = {
  version: "0.2",
  project: { name: "conformance", defaultRunner: "linux" },
  variables: { RUBY_VERSION: "3.3" },
  jobs: [job],
  caches: [{ name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock"] }],
  runners: [{ name: "linux" }],
  outputs: [{ provider: "github", path: ".github/workflows/ci.yml" }],
};

export function planCases(): EdgeCase<MessageInitShape<typeof PlanRequestSchema>>[] {
  return [
    { name: "empty request", request: {} },
    {
      name: "one job with a matrix",
      request: { capabilities: ["lang:ruby"], facts: { ruby_version: "3.3.0" }, schema, flags: { verbose: "false" } },
    },
  ];
}

export function generateCases(): EdgeCase<MessageInitShape<typeof GenerateRequestSchema>>[] {
  const graph = ["3.2", "3.3"].map((ruby) => ({
    id: `job:test-ruby${ruby}`,
    kind: Resource_Kind.JOB,
    spec: { case: "job" as const, value: { jobId: "test", matrix: { ruby }, steps: job.steps, runner: { name: "linux" } } },
  }));
  return [
    { name: "empty request", request: {} },
    {
      name: "a two-variant job",
      request: { target: "github", graph, schema, outputs: schema.outputs, workSignatures: { "job:test-ruby3.2": enc.encode("sig") } },
    },
  ];
}

export function validateCases(): EdgeCase<MessageInitShape<typeof ValidateRequestSchema>>[] {
  const big = `jobs:\n${"  # filler line for a large rendered file\n".repeat(25_000)}`;
  return [
    { name: "empty request", request: {} },
    {
      name: "unicode and a 1 MiB file",
      request: {
        rendered: [
          { path: ".github/workflows/ci.yml", content: "name: ünïcödé ✓\non: push\njobs: {}\n", strategy: MergeStrategy.REPLACE },
          { path: "big.yml", content: big, strategy: MergeStrategy.REPLACE },
        ],
        schema,
      },
    },
  ];
}

export function preflightCases(): EdgeCase<MessageInitShape<typeof PreflightRequestSchema>>[] {
  return [
    { name: "empty request", request: {} },
    {
      name: "a changed job",
      request: {
        jobId: "job:test-ruby3.3",
        repoState: { branch: "main", changedFiles: ["app/ü.rb"] },
        previousSignature: enc.encode("old"),
      },
    },
  ];
}
