/**
 * What the golden and equivalence tests know about each provider: where its
 * validators and its parse-back live (each in the provider's own test/), and
 * its default output path. One place, so a new provider is one entry.
 */
import { parseBuildkite } from "../plugins-std/provider-buildkite/test/parse-buildkite.js";
import { validateBuildkite } from "../plugins-std/provider-buildkite/test/validate-buildkite.js";
import { parseCircleci } from "../plugins-std/provider-circleci/test/parse-circleci.js";
import { validateCircleci } from "../plugins-std/provider-circleci/test/validate-circleci.js";
import { parseGithub } from "../plugins-std/provider-github/test/parse-github.js";
import { validateWorkflow } from "../plugins-std/provider-github/test/validate-workflow.js";
import { parseGitlab } from "../plugins-std/provider-gitlab/test/parse-gitlab.js";
import { validateGitlab } from "../plugins-std/provider-gitlab/test/validate-gitlab.js";
import { parseJenkins } from "../plugins-std/provider-jenkins/test/parse-jenkins.js";
import { validateJenkinsFiles } from "../plugins-std/provider-jenkins/test/validate-jenkins.js";
import type { NeutralGraph } from "./neutral-graph.js";

/** One rendered file of a provider. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** A problem a validator reported. */
export interface Problem {
  validator: string;
  message: string;
}

export interface ProviderKit {
  /** Every problem of each file, in the order given: one validator run for all (groovy-lint starts a JVM per run). */
  validate(files: readonly RenderedFile[]): Promise<Problem[][]>;
  parse(content: string): NeutralGraph;
}

const eachFile =
  (check: (content: string, path: string) => Promise<Problem[]>) =>
  async (files: readonly RenderedFile[]): Promise<Problem[][]> => {
    const out: Problem[][] = [];
    for (const f of files) out.push(await check(f.content, f.path));
    return out;
  };

export const PROVIDERS: Record<string, ProviderKit> = {
  github: { validate: eachFile((c, p) => validateWorkflow(c, p)), parse: parseGithub },
  circleci: { validate: eachFile((c) => validateCircleci(c)), parse: parseCircleci },
  buildkite: { validate: eachFile((c) => validateBuildkite(c)), parse: parseBuildkite },
  gitlab: { validate: eachFile((c) => validateGitlab(c)), parse: parseGitlab },
  jenkins: {
    validate: (files) => validateJenkinsFiles(files.map((f) => f.content)),
    parse: parseJenkins,
  },
};
