import type { ValidateRequest, ValidateResponseSchema } from "@cig/proto";
import { type Diag, errorDiag, type Reply } from "@cig/sdk";
import { DEFAULT_OUTPUT_PATH } from "./generate-jenkinsfile.js";

const CLOSERS: Record<string, string> = { "}": "{", ")": "(", "]": "[" };

/**
 * The structural problem of a Groovy text, or undefined: an unterminated
 * string or block comment, or brackets that do not pair up. Strings
 * ('…', '''…''', "…", """…""") and comments are skipped, so a brace inside
 * a quoted command does not count. Not a Groovy parser: it catches the
 * damage a merge or a hand edit does, cheaply, inside the plugin.
 */
export function structuralProblem(text: string): string | undefined {
  const stack: Array<{ ch: string; line: number }> = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\n") line++;
    else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      line++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return `unterminated comment at line ${line}`;
      line += text.slice(i, end).split("\n").length - 1;
      i = end + 1;
    } else if (ch === "'" || ch === '"') {
      const triple = text.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      const start = line;
      let j = i + quote.length;
      for (; j < text.length; j++) {
        if (text[j] === "\\") j++;
        else if (text.startsWith(quote, j)) break;
        else if (text[j] === "\n" && !triple) return `unterminated string at line ${start}`;
      }
      if (j >= text.length) return `unterminated string at line ${start}`;
      line += text.slice(i, j).split("\n").length - 1;
      i = j + quote.length - 1;
    } else if (ch === "{" || ch === "(" || ch === "[") stack.push({ ch, line });
    else if (CLOSERS[ch]) {
      const open = stack.pop();
      if (open?.ch !== CLOSERS[ch]) return `unexpected ${ch} at line ${line}`;
    }
  }
  const open = stack.pop();
  return open ? `${open.ch} at line ${open.line} is never closed` : undefined;
}

/**
 * The validate hook: the merged Jenkinsfiles (the jenkins outputs, or the
 * default path) must be structurally sound and hold a `pipeline` block with
 * `stages`. The Groovy compiler itself runs in the tests (npm-groovy-lint),
 * not here: it needs Java and seconds per file.
 */
export function validateJenkinsfiles(req: ValidateRequest): Reply<typeof ValidateResponseSchema> {
  const outputs = (req.schema?.outputs ?? []).filter((o) => o.provider === "jenkins").map((o) => o.path);
  const mine = new Set(outputs.length > 0 ? outputs : [DEFAULT_OUTPUT_PATH]);
  const diagnostics: Diag[] = [];
  for (const file of req.rendered) {
    if (!mine.has(file.path)) continue;
    const problem =
      structuralProblem(file.content) ??
      (/^\s*pipeline\s*\{/m.test(file.content) && /\bstages\s*\{/.test(file.content) ? undefined : "no pipeline { stages { … } } block");
    if (problem) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_JENKINS_INVALID_PIPELINE",
          `${file.path} is not a valid declarative pipeline`,
          `${file.path}: ${problem}.`,
          "A plugin merged broken Groovy into the Jenkinsfile: run `cig --verbose render` to see which fragment.",
        ),
      );
    }
  }
  return { diagnostics };
}
