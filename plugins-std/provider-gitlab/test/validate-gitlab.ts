/**
 * The two independent checks every rendered .gitlab-ci.yml must pass, none
 * of them written here: GitLab's own CI JSON Schema (as bundled with
 * gitlab-ci-local) with Ajv, and gitlab-ci-local, which loads the pipeline
 * the way GitLab does and rejects unknown `needs`, undeclared stages and
 * jobs without a script. Shared by the provider's unit tests and the golden
 * tests.
 *
 * Nothing here skips: a validator or the schema that cannot be loaded
 * throws, and {@link assertValidatorsAlive} proves each validator rejects a
 * broken pipeline, so "no problems" can never mean "did not run".
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";

/** One problem a validator found. */
export interface GitlabProblem {
  validator: "json-schema" | "gitlab-ci-local";
  message: string;
}

interface AjvValidate {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

/** /work/shared/schemas/gitlab-ci.json, from this file's place in the repository. */
export const GITLAB_SCHEMA_URL = new URL("../../../../shared/schemas/gitlab-ci.json", import.meta.url);
/** gitlab-ci-local's Node build, installed at the repository root. */
export const GITLAB_CI_LOCAL = fileURLToPath(new URL("../../../node_modules/gitlab-ci-local/dist/index.js", import.meta.url));
const POLYFILL = fileURLToPath(new URL("./set-methods-polyfill.mjs", import.meta.url));

const run = promisify(execFile);
// git's own noise in a repository without a remote, which gitlab-ci-local prints and then ignores.
const NOISE = [
  /remote/i,
  /^\s*Command failed with exit code (?:2|128): git /,
  /^fatal: ref refs\/remotes\/origin\/HEAD/,
  /^Using fallback git remote data/,
  /^parsing and downloads finished/,
  /^json schema validated/,
  /^\s*$/,
];

let schemaValidator: AjvValidate | undefined;
function jsonSchema(): AjvValidate {
  if (schemaValidator) return schemaValidator;
  // Ajv is a dependency of @cig/core; resolve it from there rather than adding it here.
  const coreRequire = createRequire(new URL("../../../core/package.json", import.meta.url));
  const AjvModule = coreRequire("ajv") as { default: new (opts: object) => { compile(schema: object): AjvValidate } };
  const ajv = new AjvModule.default({ strict: false, allErrors: true, logger: false });
  schemaValidator = ajv.compile(JSON.parse(readFileSync(GITLAB_SCHEMA_URL, "utf8")) as object);
  return schemaValidator;
}

/**
 * Every problem the two validators find in `content`, a .gitlab-ci.yml;
 * empty when both accept it. The first call also runs
 * {@link assertValidatorsAlive}, so an empty list always means "checked".
 */
export async function validateGitlab(content: string): Promise<GitlabProblem[]> {
  await assertValidatorsAlive();
  return problemsOf(content);
}

async function problemsOf(content: string): Promise<GitlabProblem[]> {
  const problems: GitlabProblem[] = [];
  const validate = jsonSchema();
  if (!validate(parse(content))) {
    for (const e of validate.errors ?? [])
      problems.push({ validator: "json-schema", message: `${e.instancePath || "/"} ${e.message ?? ""}` });
  }
  problems.push(...(await gitlabCiLocal(content)));
  return problems;
}

// gitlab-ci-local needs a git repository with a commit; it lists the jobs
// (--list-all: even those whose rules say never) after checking the file.
async function gitlabCiLocal(content: string): Promise<GitlabProblem[]> {
  if (!existsSync(GITLAB_CI_LOCAL)) throw new Error(`gitlab-ci-local is not installed at ${GITLAB_CI_LOCAL}`);
  const dir = mkdtempSync(join(tmpdir(), "cig-gitlab-"));
  try {
    writeFileSync(join(dir, ".gitlab-ci.yml"), content);
    const git = (...args: string[]) => run("git", ["-c", "user.name=cig", "-c", "user.email=cig@example.invalid", ...args], { cwd: dir });
    await git("init", "-q");
    await git("add", ".gitlab-ci.yml");
    await git("commit", "-q", "-m", "pipeline under test");
    try {
      const r = await run(process.execPath, ["--import", POLYFILL, GITLAB_CI_LOCAL, "--list-all", "--cwd", "."], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      });
      // Exit 0 but an error line (gitlab-ci-local reports some problems as warnings) is still a problem.
      return meaningful(r.stderr)
        .filter((line) => ERROR_LINE.test(line))
        .map((message) => ({ validator: "gitlab-ci-local", message }));
    } catch (e) {
      const err = e as { code?: number; stderr?: string; stdout?: string };
      const lines = meaningful(`${err.stderr ?? ""}\n${err.stdout ?? ""}`);
      return [{ validator: "gitlab-ci-local", message: lines.join("\n") || `exited with ${err.code ?? "an error"}` }];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ERROR_LINE = /could not be found|not found for|must have|error|invalid|unknown/i;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

// Output lines without colours and without git's harmless complaints about the missing remote.
function meaningful(text: string): string[] {
  return text
    .replace(ANSI, "")
    .split("\n")
    .filter((line) => !NOISE.some((re) => re.test(line)));
}

let alive: Promise<void> | undefined;
/**
 * Throws unless each validator reports a pipeline that is broken in a way it
 * is sure to catch: proof that it loaded and ran.
 */
export function assertValidatorsAlive(): Promise<void> {
  alive ??= (async () => {
    const badKey = "stages: [a]\njob:\n  stage: a\n  scriptz: [echo]\n  script: [echo]\n";
    const ghostNeed = "stages: [a]\njob:\n  stage: a\n  needs: [ghost]\n  script: [echo]\n";
    const by = async (content: string, validator: GitlabProblem["validator"]) =>
      (await problemsOf(content)).filter((p) => p.validator === validator).length;
    if ((await by(badKey, "json-schema")) === 0) throw new Error("the GitLab CI JSON Schema did not reject an unknown job key");
    if ((await by(ghostNeed, "gitlab-ci-local")) === 0) throw new Error("gitlab-ci-local did not report needs naming no job");
    if ((await by(ghostNeed, "json-schema")) !== 0) throw new Error("the JSON Schema rejected a shape it should accept");
  })();
  return alive;
}
