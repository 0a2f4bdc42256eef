// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is shell syntax, not a JS template.
import { parseCondition } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { CHILD_SUBJECT_VARIABLE, globRegex, jobRules } from "../src/condition-rules.js";
import { globEre, shellTest } from "../src/condition-shell.js";
import { expression } from "./parse-gitlab.js";

const parse = (text: string) => {
  const p = parseCondition(text);
  if (!p.portable) throw new Error(p.reason);
  return p.condition;
};

describe("provider/gitlab: condition translation", () => {
  it("writes job rules for each supported shape", () => {
    expect(jobRules(parse("branch == 'main'"))).toEqual({ rules: [{ if: '$CI_COMMIT_BRANCH == "main"' }] });
    expect(jobRules(parse("event == 'pull_request' || tag == 'v*'"))).toEqual({
      rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event" || $CI_COMMIT_TAG =~ /^v[^\\/]*$/' }],
    });
    expect(jobRules(parse("always()"))).toEqual({ rules: [{ when: "always" }] });
    expect(jobRules(parse("failure() && event == 'manual'"))).toEqual({
      rules: [{ if: '$CI_PIPELINE_SOURCE == "web"', when: "on_failure" }],
    });
    expect(jobRules(parse("!(branch == 'a' && tag == 'b')"))).toEqual({
      rules: [{ if: '$CI_COMMIT_BRANCH == "a" && $CI_COMMIT_TAG == "b"', when: "never" }, { when: "on_success" }],
    });
    // Nested negation is pushed down (GitLab has no `!`): De Morgan, with parentheses where precedence needs them.
    expect(jobRules(parse("branch == 'a' && !(tag == 'b' || event == 'push')"))).toEqual({
      rules: [{ if: '$CI_COMMIT_BRANCH == "a" && $CI_COMMIT_TAG != "b" && $CI_PIPELINE_SOURCE != "push"' }],
    });
    expect("unsupported" in jobRules(parse("cancelled()"))).toBe(true);
    expect("unsupported" in jobRules(parse("failure() || branch == 'main'"))).toBe(true);
  });

  it("reads its own expressions back (parse-gitlab), globs included", () => {
    for (const text of [
      "branch == 'main'",
      "branch == 'release/**' || tag != 'v*.*'",
      "event == 'schedule' && (branch == 'a' || branch == 'b')",
    ]) {
      const rules = jobRules(parse(text));
      if (!("rules" in rules)) throw new Error("unsupported");
      expect(expression(String(rules.rules[0]?.if))).toEqual(parse(text));
    }
    expect(globRegex("release/*.x")).toBe("/^release\\/[^\\/]*\\.x$/");
  });

  it("writes shell tests for steps, folding status functions by context", () => {
    expect(shellTest(parse("always() && branch == 'main'"), "script")).toBe('[ "${CI_COMMIT_BRANCH:-}" = main ]');
    expect(shellTest(parse("failure() || cancelled()"), "after_script")).toBe(
      '[ "$CI_JOB_STATUS" = failed ] || [ "$CI_JOB_STATUS" = canceled ]',
    );
    expect(shellTest(parse("!(tag == 'v*')"), "script")).toBe(`! { printf '%s\\n' "\${CI_COMMIT_TAG:-}" | grep -Eqx 'v[^/]*'; }`);
    expect(shellTest(parse("(branch == 'a' || branch == 'b') && event == 'push'"), "script")).toBe(
      '{ [ "${CI_COMMIT_BRANCH:-}" = a ] || [ "${CI_COMMIT_BRANCH:-}" = b ]; } && [ "${CI_PIPELINE_SOURCE:-}" = push ]',
    );
    expect(globEre("feature/**.x")).toBe("feature/.*\\.x");
  });

  it("reads the event from $CIG_PIPELINE_SOURCE in a child pipeline, branch and tag as ever", () => {
    const c = parse("event == 'pull_request' && branch != 'main' || tag == 'v*'");
    expect(jobRules(c, CHILD_SUBJECT_VARIABLE)).toEqual({
      rules: [{ if: '($CIG_PIPELINE_SOURCE == "merge_request_event" && $CI_COMMIT_BRANCH != "main") || $CI_COMMIT_TAG =~ /^v[^\\/]*$/' }],
    });
    expect(shellTest(parse("event == 'schedule'"), "script", CHILD_SUBJECT_VARIABLE)).toBe('[ "${CIG_PIPELINE_SOURCE:-}" = schedule ]');
    const rules = jobRules(c, CHILD_SUBJECT_VARIABLE);
    if (!("rules" in rules)) throw new Error("unsupported");
    expect(expression(String(rules.rules[0]?.if))).toEqual(c);
  });
});
