import { fitsInline, isYaml11Ambiguous, type JsonMap, YAML_WRITE_OPTIONS } from "@cig/sdk";
import { Document, isPair, isScalar, Scalar, type Scalar as ScalarNode, visit } from "yaml";

// Scalar sequences (depends_on, agents lists, manifests) are written inline,
// `[a, b]`, when that stays short (`fitsInline`); longer ones one item per line.

/**
 * The pipeline as YAML text: keys in the order the object has them (the
 * renderers order them), lines never folded, multi-line strings as `|`
 * block scalars, short scalar lists inline (never `commands`, whose entries
 * are scripts), and every string YAML 1.1 or 1.2 would misread double-quoted.
 */
export function toPipelineYaml(pipeline: JsonMap): string {
  const doc = new Document(pipeline);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== "string") return;
      if (node.value.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
      else if (isYaml11Ambiguous(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
    Seq(_, seq, path) {
      const owner = path.at(-1);
      if (isPair(owner) && isScalar(owner.key) && owner.key.value === "commands") return;
      const items = seq.items;
      const plain = (i: unknown): i is ScalarNode =>
        isScalar(i) && i.value !== null && typeof i.value !== "object" && !String(i.value).includes("\n");
      if (items.length === 0 || !items.every(plain)) return;
      if (fitsInline(items.map((i) => (i as ScalarNode).value))) seq.flow = true;
    },
  });
  return doc.toString(YAML_WRITE_OPTIONS);
}
