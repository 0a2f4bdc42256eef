import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { generatedHeader, hasGeneratedHeader } from "./generated-header.js";
import type { MergedFile } from "./merge-fragments.js";

/** What rendering would do to one output file. */
export interface OutputChange {
  /** Repo-relative path with "/". */
  path: string;
  status: "created" | "changed" | "unchanged";
  /** The full new content, header included. */
  content: string;
  /** Unified diff from the file on disk to `content` ("" when unchanged); computed when first read (only `render --check` prints it). */
  readonly diff: string;
  lines: number;
  /** The file exists but has no cig header: someone wrote it by hand. */
  handWritten: boolean;
  owners: string[];
}

/** Compares merged files (header added) with what is on disk under `root`. */
export function planOutputs(root: string, files: readonly MergedFile[]): OutputChange[] {
  return files.map((f) => {
    const content = generatedHeader(f.format) + f.content;
    let before: string | undefined;
    try {
      before = readFileSync(join(root, f.path), "utf8");
    } catch {
      before = undefined;
    }
    const status = before === undefined ? "created" : before === content ? "unchanged" : "changed";
    // A patch of a 1 MB workflow costs ~80 ms; most runs never show it.
    let diff: string | undefined;
    return {
      path: f.path,
      status,
      content,
      get diff() {
        diff ??=
          status === "unchanged"
            ? ""
            : createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, before ?? "", content, undefined, undefined, { context: 3 });
        return diff;
      },
      lines: countLines(content),
      handWritten: before !== undefined && before !== content && !hasGeneratedHeader(before),
      owners: f.owners,
    };
  });
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.length > 0 && !text.endsWith("\n") ? n + 1 : n;
}
