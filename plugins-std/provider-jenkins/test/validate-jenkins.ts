/**
 * The platform validator for rendered Jenkinsfiles, written by nobody here:
 * npm-groovy-lint (CodeNarc and the Groovy compiler, on Java), which reports
 * Groovy syntax errors. Its style findings (info, warning) are not problems;
 * its errors are. The declarative structure is checked by the provider's
 * own tests through test/parse-jenkins.ts.
 *
 * Nothing here skips: a missing linter or unreadable output throws, and
 * every run proves the linter rejects broken Groovy (see
 * {@link validateJenkinsFiles}), so "no problems" can never mean "did not run".
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One problem a validator found. */
export interface JenkinsProblem {
  validator: "npm-groovy-lint";
  message: string;
}

/** The linter installed in the repository's root node_modules. */
export const GROOVY_LINT = fileURLToPath(new URL("../../../node_modules/.bin/npm-groovy-lint", import.meta.url));

interface LintReport {
  summary?: { totalFilesLinted?: number };
  files?: Record<string, { errors?: Array<{ line?: number | string; rule?: string; severity?: string; msg?: string }> }>;
}

async function lint(contents: readonly string[]): Promise<JenkinsProblem[][]> {
  if (!existsSync(GROOVY_LINT)) throw new Error(`npm-groovy-lint not found at ${GROOVY_LINT}`);
  const dir = await mkdtemp(join(tmpdir(), "cig-jenkins-lint-"));
  try {
    // One directory per file, each file named Jenkinsfile, so the linter treats them as pipelines.
    const files = contents.map((_, i) => join(String(i), "Jenkinsfile"));
    await Promise.all(
      contents.map(async (c, i) => {
        await mkdir(join(dir, String(i)));
        await writeFile(join(dir, files[i] as string), c);
      }),
    );
    const stdout = await new Promise<string>((resolve, reject) => {
      // --failon error: exit 1 means "found errors", which the report says; only unreadable output is a failure.
      execFile(
        GROOVY_LINT,
        ["--noserver", "--failon", "error", "--output", "json", ...files],
        { cwd: dir, maxBuffer: 64 << 20 },
        (err, out, stderr) => {
          if (out.trim().startsWith("{")) resolve(out);
          else reject(new Error(`npm-groovy-lint failed: ${err?.message ?? ""}\n${stderr}\n${out}`));
        },
      );
    });
    const report = JSON.parse(stdout) as LintReport;
    if (report.summary?.totalFilesLinted !== contents.length) {
      throw new Error(`npm-groovy-lint linted ${report.summary?.totalFilesLinted} of ${contents.length} files`);
    }
    return files.map((f) => {
      const found = report.files?.[join(dir, f)]?.errors ?? [];
      return found
        .filter((e) => e.severity === "error")
        .map((e) => ({ validator: "npm-groovy-lint" as const, message: `${e.line ?? "?"}: ${e.msg ?? ""} [${e.rule ?? ""}]` }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every problem npm-groovy-lint finds in one rendered Jenkinsfile; empty when it accepts it. */
export async function validateJenkins(content: string): Promise<JenkinsProblem[]> {
  return (await validateJenkinsFiles([content]))[0] ?? [];
}

/**
 * {@link validateJenkins} for several files in one linter run (each run costs
 * seconds of JVM start). Every run also lints a Jenkinsfile with an unclosed
 * block and throws unless the linter reports it: proof, in the same run,
 * that it loaded and ran.
 */
export async function validateJenkinsFiles(contents: readonly string[]): Promise<JenkinsProblem[][]> {
  const [broken, ...problems] = await lint([BROKEN, ...contents]);
  if (!broken || broken.length === 0) throw new Error("npm-groovy-lint did not report a Jenkinsfile with a syntax error");
  return problems;
}

const BROKEN = "pipeline {\n    agent any\n    stages {\n        stage('a' {\n";

/** Throws unless npm-groovy-lint reports a Jenkinsfile with an unclosed block (one linter run). */
export async function assertValidatorsAlive(): Promise<void> {
  await validateJenkinsFiles([]);
}
