import { fitsInline, isYaml11Ambiguous, type JsonMap, YAML_WRITE_OPTIONS } from "@cig/sdk";
import { Document, isPair, isScalar, Scalar, visit } from "yaml";

// Scalar sequences (needs, stages, tags, paths) are written inline, `[a, b]`,
// when that stays short (`fitsInline`); longer ones one item per line. Scripts are
// always one command per line, the way GitLab users write them.
const BLOCK_LISTS = new Set(["script", "before_script", "after_script"]);

// A string carrying a YAML comment for the line above it: see withComment.
const COMMENT_MARK = "\u0000cig-comment\u0000";

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
      if (fitsInline(items.map((i) => (i as Scalar).value))) seq.flow = true;
    },
  });
  return doc.toString(YAML_WRITE_OPTIONS);
}
