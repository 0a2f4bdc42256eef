// Scalars a YAML 1.1 reader would not read back as the same string (booleans
// such as yes/on/y, nulls, octal and sexagesimal numbers, floats, dates, the
// merge key). YAML writers quote what YAML 1.2 would misread; these must be
// quoted too, because CI platforms and the tools around them still read
// their files with YAML 1.1 rules (GitLab with Ruby's Psych, many linters
// with PyYAML). Versions like "3.10" are quoted; "1.22.3" needs no quotes.
const YAML11_AMBIGUOUS = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|<<|=)$/,
  /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  // Floats: PyYAML's rule, plus a lone "." (which the yaml package's 1.1 schema reads as a float);
  // the spec's looser regex would also take "1.22.3", which no reader does.
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]*(?:[eE][-+]?[0-9]+)?)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

/**
 * True when a YAML 1.1 reader would not read `text` back as a string, so a
 * provider writing YAML must quote it. Shared by every YAML provider so that
 * they all agree on what needs quotes.
 */
export function isYaml11Ambiguous(text: string): boolean {
  return YAML11_AMBIGUOUS.some((re) => re.test(text));
}
