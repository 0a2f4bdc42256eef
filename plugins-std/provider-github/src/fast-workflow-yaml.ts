import { fitsInline, isYaml11Ambiguous, type Json, type JsonMap } from "@cig/sdk";
import { toWorkflowYaml } from "./workflow-yaml.js";

// Writes what toWorkflowYaml writes, ~10× faster, for the shapes workflows
// are made of: block maps, block and short inline lists, plain and
// double-quoted one-line strings, numbers, booleans. Anything else — a
// multi-line string, a key or value that might need another quoting style,
// a matrix with include/exclude cells, null, an empty collection — is handed
// to toWorkflowYaml one pair at a time, so the output is byte for byte the
// same (a differential test compares the two on arbitrary values). Building
// the yaml library's document model cost ~290 ms for a 1 MB workflow.

// Plain in block and flow context, and read back as the same string by YAML
// 1.1 and 1.2 readers once isYaml11Ambiguous is ruled out: no indicator
// first, no `: ` / ` #`, no flow characters, ASCII only.
const PLAIN = /^(?!\.\.\.|---|-(?: |$))(?![?:,[\]{}#&*!|>'"%@`+])[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// A multi-line string the yaml library writes as a `|` block as it stands:
// printable ASCII lines that end in a non-space (or are empty), the first
// starting with one, the last not empty, at most one final newline.
const BLOCK = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?(?:\n(?:[\x20-\x7e]*[\x21-\x7e])?)*\n(?:[\x20-\x7e]*[\x21-\x7e])?$/;
// What a YAML 1.2 (core schema) reader takes for a number: such strings need quotes.
const CORE_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOW_UNSAFE = /[,[\]{}]|: |:$| #/;
const QUOTABLE = /^[\x20-\x7e]*$/;

type Scalar = string | number | boolean;

/** The workflow as YAML text, byte for byte what {@link toWorkflowYaml} writes. */
export function toWorkflowYamlFast(workflow: JsonMap): string {
  if (Object.keys(workflow).length === 0) return toWorkflowYaml(workflow);
  const out: string[] = [];
  writeMap(workflow, "", out, true);
  return out.join("");
}

function writeMap(map: JsonMap, indent: string, out: string[], top = false): void {
  for (const [key, value] of Object.entries(map)) writePair(key, value, indent, out, top);
}

function writePair(key: string, value: Json, indent: string, out: string[], top: boolean): void {
  const k = top && key === "on" ? "on" : keyText(key);
  if (k === undefined || !writeValue(k, key, value, indent, out)) out.push(slow(key, value, indent, top));
}

/** Writes `k: value` and returns true, or returns false (having written nothing) for the slow path. */
function writeValue(k: string, key: string, value: Json, indent: string, out: string[]): boolean {
  if (isScalar(value)) {
    if (typeof value === "string" && value.includes("\n")) return writeBlock(k, value, indent, out);
    const s = scalarText(value);
    if (s === undefined) return false;
    out.push(`${indent}${k}: ${s}\n`);
    return true;
  }
  if (value === null) return false;
  if (key === "matrix") return writeMatrix(k, value, indent, out);
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    if (value.every(isScalar)) {
      const items = value.map((v) => scalarText(v));
      if (items.some((i) => i === undefined)) return false;
      if (fitsInline(value)) {
        if (value.some((v) => typeof v === "string" && FLOW_UNSAFE.test(v))) return false;
        out.push(`${indent}${k}: [${items.join(", ")}]\n`);
      } else {
        out.push(`${indent}${k}:\n${items.map((i) => `${indent}  - ${i}\n`).join("")}`);
      }
      return true;
    }
    const lines: string[] = [];
    for (const item of value) {
      if (isScalar(item) || item === null || Array.isArray(item) || Object.keys(item).length === 0) return false;
      const body: string[] = [];
      writeMap(item, `${indent}    `, body);
      // The first line of the item's map follows the dash.
      const text = body.join("");
      lines.push(`${indent}  - ${text.slice(indent.length + 4)}`);
    }
    out.push(`${indent}${k}:\n`, ...lines);
    return true;
  }
  if (Object.keys(value).length === 0) return false;
  out.push(`${indent}${k}:\n`);
  writeMap(value, `${indent}  `, out);
  return true;
}

/** `k: |` and the lines, indented under the key; false for anything BLOCK does not vouch for. */
function writeBlock(k: string, v: string, indent: string, out: string[]): boolean {
  if (!BLOCK.test(v) || v.endsWith("\n\n") || v.startsWith("\n")) return false;
  const clip = v.endsWith("\n");
  const lines = (clip ? v.slice(0, -1) : v).split("\n");
  out.push(`${indent}${k}: |${clip ? "" : "-"}\n`);
  for (const line of lines) out.push(line === "" ? "\n" : `${indent}  ${line}\n`);
  return true;
}

function isScalar(v: Json): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/**
 * `strategy.matrix` in its usual shapes: axes as lists of scalars, and
 * include/exclude cells as inline maps of scalars (`- {ruby: "3.2", os: linux}`).
 */
function writeMatrix(k: string, value: Json, indent: string, out: string[]): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.keys(value).length === 0) return false;
  const lines = [`${indent}${k}:\n`];
  for (const [axis, entries] of Object.entries(value)) {
    const name = keyText(axis);
    if (name === undefined || !Array.isArray(entries) || entries.length === 0) return false;
    if (axis !== "include" && axis !== "exclude") {
      if (!writeValue(name, axis, entries, `${indent}  `, lines)) return false;
      continue;
    }
    lines.push(`${indent}  ${name}:\n`);
    for (const cell of entries) {
      if (!cell || typeof cell !== "object" || Array.isArray(cell) || Object.keys(cell).length === 0) return false;
      const parts: string[] = [];
      for (const [ck, cv] of Object.entries(cell)) {
        const key = keyText(ck);
        const text = isScalar(cv) ? scalarText(cv) : undefined;
        if (key === undefined || text === undefined || FLOW_UNSAFE.test(ck) || (typeof cv === "string" && FLOW_UNSAFE.test(cv)))
          return false;
        parts.push(`${key}: ${text}`);
      }
      lines.push(`${indent}    - {${parts.join(", ")}}\n`);
    }
  }
  out.push(...lines);
  return true;
}

function keyText(key: string): string | undefined {
  return stringText(key);
}

function scalarText(v: Scalar): string | undefined {
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
  return stringText(v);
}

function stringText(v: string): string | undefined {
  if (isYaml11Ambiguous(v)) return QUOTABLE.test(v) ? `"${v.replace(/[\\"]/g, "\\$&")}"` : undefined;
  return PLAIN.test(v) && !/: |:$| #/.test(v) && !CORE_NUMBER.test(v) ? v : undefined;
}

// One pair through the yaml library, indented to where it stands. Scalar
// styles and list layout depend only on the pair itself, and a `matrix`
// pair carries the context its include/exclude cells need.
function slow(key: string, value: Json, indent: string, top: boolean): string {
  const text = toWorkflowYaml(top ? { [key]: value } : { _: { [key]: value } });
  const body = top ? text : text.slice(text.indexOf("\n") + 1).replace(/^ {2}/gm, "");
  return indent ? body.replace(/^(?=.)/gm, indent) : body;
}
