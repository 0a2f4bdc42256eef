import { Document, isPair, isScalar, Scalar, type Scalar as ScalarNode, visit } from "yaml";
import type { JsonMap } from "./json-value.js";

// Scalars a YAML 1.1 reader would not read back as the same string (booleans
// such as yes/on/y, nulls, octal and sexagesimal numbers, floats, dates, the
// merge key). The yaml library already quotes what YAML 1.2 would misread;
// these are quoted too, because the Buildkite agent's Go YAML reader and
// people still apply YAML 1.1 rules. Versions like "3.10" stay strings.
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

// Scalar sequences (depends_on, agents lists, manifests) are written inline,
// `[a, b]`, when that stays this short; longer ones one item per line.
const MAX_FLOW_WIDTH = 80;

/** True when a YAML 1.1 reader would not read `text` back as a string. */
export function isYaml11Ambiguous(text: string): boolean {
  return YAML11_AMBIGUOUS.some((re) => re.test(text));
}

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
      const width = items.reduce<number>((n, i) => n + String((i as ScalarNode).value).length + 4, 2);
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
