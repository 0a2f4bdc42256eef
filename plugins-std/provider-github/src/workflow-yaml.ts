import { fitsInline, isYaml11Ambiguous, type JsonMap, YAML_WRITE_OPTIONS } from "@cig/sdk";
import { Document, isPair, isScalar, isSeq, Scalar, visit } from "yaml";

// Scalar sequences (needs, branches, matrix axes, ports) are written inline,
// `[a, b]`, when that stays short (`fitsInline`); longer ones one item per line.

/**
 * The workflow as YAML text: keys in the order the object has them (the
 * renderers order them), lines never folded, multi-line strings as `|`
 * block scalars, scalar lists inline when short, matrix cells inline, and
 * every string that YAML 1.1 or 1.2 would misread double-quoted — except the
 * top-level `on` key, which GitHub reads as a string and everybody writes bare.
 */
export function toWorkflowYaml(workflow: JsonMap): string {
  const doc = new Document(workflow);
  visit(doc, {
    Scalar(_, node, path) {
      if (typeof node.value !== "string") return;
      const parent = path.at(-1);
      if (isPair(parent) && parent.key === node) {
        const topLevelOn = path.length === 3 && node.value === "on";
        if (!topLevelOn && isYaml11Ambiguous(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      } else if (node.value.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
      else if (isYaml11Ambiguous(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
    Seq(_, seq) {
      const items = seq.items;
      const plain = (i: unknown) => isScalar(i) && i.value !== null && typeof i.value !== "object" && !String(i.value).includes("\n");
      if (items.length === 0 || !items.every(plain)) return;
      if (fitsInline(items.map((i) => (i as Scalar).value))) seq.flow = true;
    },
    Map(_, map, path) {
      // A matrix cell under include/exclude: `- {ruby: "3.2", os: ubuntu-latest}`.
      const seqPair = path.at(-2);
      const key = isPair(seqPair) && isScalar(seqPair.key) ? seqPair.key.value : undefined;
      const matrixPair = path.at(-4);
      const inMatrix = isPair(matrixPair) && isScalar(matrixPair.key) && matrixPair.key.value === "matrix";
      if (isSeq(path.at(-1)) && (key === "include" || key === "exclude") && inMatrix && map.items.every((p) => isScalar(p.value))) {
        map.flow = true;
      }
    },
  });
  return doc.toString(YAML_WRITE_OPTIONS);
}
