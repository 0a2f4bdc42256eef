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
  /** Unified diff from the file on disk to `content` ("" when unchanged; one line for a missing file). */
  diff: string;
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
    const diff =
      status === "unchanged"
        ? ""
        : createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, before ?? "", content, undefined, undefined, { context: 3 });
    return {
      path: f.path,
      status,
      content,
      diff,
      lines: content.split("\n").length - (content.endsWith("\n") ? 1 : 0),
      handWritten: before !== undefined && before !== content && !hasGeneratedHeader(before),
      owners: f.owners,
    };
  });
}
