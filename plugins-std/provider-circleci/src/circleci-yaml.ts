import { fitsInline, isYaml11Ambiguous, type JsonMap, YAML_WRITE_OPTIONS } from "@cig/sdk";
import { Document, isPair, isScalar, type Scalar, Scalar as ScalarNode, visit } from "yaml";

// Scalar sequences (requires, filters, cache keys, paths) are written inline,
// `[a, b]`, when that stays short (`fitsInline`); longer ones one item per line.
// Lists that are the structure of the file, never written inline: the workflow's jobs, a job's steps.
const BLOCK_LISTS = new Set(["jobs", "steps"]);

/**
 * The config as YAML text: keys in the order the object has them (the
 * renderers order them), lines never folded, multi-line strings as `|`
 * block scalars, short scalar lists inline, and every string that YAML 1.1
 * or 1.2 would misread double-quoted. `<< parameters.x >>` values need no
 * quoting: `<<` is only special as a key.
 */
export function toConfigYaml(config: JsonMap): string {
  // No anchors and aliases: a value shared between jobs (filters) is written out each time, as people read it.
  const doc = new Document(config, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== "string") return;
      // Keys are never block scalars (the library quotes a multi-line key).
      if (node.value.includes("\n") && key !== "key") node.type = ScalarNode.BLOCK_LITERAL;
      else if (isYaml11Ambiguous(node.value)) node.type = ScalarNode.QUOTE_DOUBLE;
    },
    Seq(_, seq, path) {
      const parent = path.at(-1);
      if (isPair(parent) && isScalar(parent.key) && BLOCK_LISTS.has(String(parent.key.value))) return;
      const items = seq.items;
      const plain = (i: unknown) => isScalar(i) && i.value !== null && typeof i.value !== "object" && !String(i.value).includes("\n");
      if (items.length === 0 || !items.every(plain)) return;
      if (fitsInline(items.map((i) => (i as Scalar).value))) seq.flow = true;
    },
  });
  return doc.toString(YAML_WRITE_OPTIONS);
}
