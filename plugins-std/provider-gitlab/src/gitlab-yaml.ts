import { Document, isPair, isScalar, Scalar, visit } from "yaml";
import type { JsonMap } from "./json-value.js";

// Scalars a YAML 1.1 reader would not read back as the same string (booleans
// such as yes/on/y, nulls, octal and sexagesimal numbers, floats, dates, the
// merge key). The yaml library already quotes what YAML 1.2 would misread;
// these are quoted too, because GitLab reads .gitlab-ci.yml with Ruby's
// Psych, a YAML 1.1 parser. Versions like "3.10" stay strings either way.
const YAML11_AMBIGUOUS = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|<<|=)$/,
  /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  // Floats as PyYAML resolves them; the spec's looser regex would also take "1.22.3", which no reader does.
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

// Scalar sequences (needs, stages, tags, paths) are written inline, `[a, b]`,
// when that stays this short; longer ones one item per line. Scripts are
// always one command per line, the way GitLab users write them.
const MAX_FLOW_WIDTH = 80;
const BLOCK_LISTS = new Set(["script", "before_script", "after_script"]);

// A string carrying a YAML comment for the line above it: see withComment.
const COMMENT_MARK = "\u0000cig-comment\u0000";

/** True when a YAML 1.1 reader would not read `text` back as a string. */
export function isYaml11Ambiguous(text: string): boolean {
  return YAML11_AMBIGUOUS.some((re) => re.test(text));
}

/**
 * A script line that the YAML writer puts under a `# comment` line (the step
 * name, or the `cig:` mark of a line the provider adds). Comments cannot
 * travel in a JSON value, so the comment rides in the string until
 * {@link toGitlabYaml} takes it out.
 */
export function withComment(comment: string, text: string): string {
  return comment === "" ? text : `${COMMENT_MARK}${comment.replace(/[\r\n]+/g, " ")}${COMMENT_MARK}${text}`;
}

/**
 * The pipeline as YAML text: keys in the order the object has them (the
 * renderers order them), lines never folded, multi-line strings as `|`
 * block scalars, short scalar lists inline (scripts never), comments from
 * {@link withComment} above their line, and every string that YAML 1.1 or
 * 1.2 would misread double-quoted.
 */
export function toGitlabYaml(pipeline: JsonMap): string {
  const doc = new Document(pipeline);
  visit(doc, {
    Scalar(_, node, path) {
      if (typeof node.value !== "string") return;
      if (node.value.startsWith(COMMENT_MARK)) {
        const [, comment = "", text = ""] = node.value.split(COMMENT_MARK);
        node.value = text;
        node.commentBefore = ` ${comment}`;
      }
      const value = String(node.value);
      const parent = path.at(-1);
      if (isPair(parent) && parent.key === node) {
        if (isYaml11Ambiguous(value)) node.type = Scalar.QUOTE_DOUBLE;
      } else if (value.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
      else if (isYaml11Ambiguous(value)) node.type = Scalar.QUOTE_DOUBLE;
    },
    Seq(_, seq, path) {
      const owner = path.at(-1);
      if (isPair(owner) && isScalar(owner.key) && BLOCK_LISTS.has(String(owner.key.value))) return;
      const items = seq.items;
      const plain = (i: unknown) =>
        isScalar(i) &&
        i.value !== null &&
        typeof i.value !== "object" &&
        !String(i.value).includes("\n") &&
        !String(i.value).startsWith(COMMENT_MARK);
      if (items.length === 0 || !items.every(plain)) return;
      const width = items.reduce<number>((n, i) => n + String((i as Scalar).value).length + 4, 2);
      if (width <= MAX_FLOW_WIDTH) seq.flow = true;
    },
  });
  return doc.toString({
    lineWidth: 0,
    minContentWidth: 0,
    nullStr: "",
    blockQuote: "literal",
    indentSeq: true,
    flowCollectionPadding: false,
  });
}
