import { parse } from "smol-toml";
import { scanTomlSpans } from "../config/toml-spans.js";
import { CigError } from "../errors/cig-error.js";
import type { PluginAddress } from "./plugin-address.js";

/**
 * cig.toml's text with `[plugins]` asking for `address`, every other byte
 * unchanged: comments, order, blank lines and quoting stay as the user wrote
 * them. An existing entry gets its version replaced in place; a new one is
 * added after the table's last entry; a file without `[plugins]` gets the
 * table appended. The result is parsed back to prove the edit says exactly that.
 */
export function addPluginEntry(text: string, address: PluginAddress, file: string): string {
  const root = scanTomlSpans(text);
  const table = root.kids?.get("plugins");
  const range = JSON.stringify(address.constraint);
  const value = address.host ? `{ version = ${range}, source = ${JSON.stringify(address.host)} }` : range;
  const key = JSON.stringify(address.id);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out: string;
  if (!table?.written) {
    const sep = text.length === 0 ? "" : text.endsWith("\n") ? eol : `${eol}${eol}`;
    out = `${text}${sep}[plugins]${eol}${key} = ${value}${eol}`;
  } else if (text.charCodeAt(table.valueStart) !== 0x5b /* [ */ || table.implicit) {
    throw new CigError(
      "CIG_USAGE",
      `${file} writes [plugins] as an inline table or with dotted keys; cig plugin add edits only a [plugins] section`,
      `Add ${key} = ${value} to it by hand, then run \`cig sync\`.`,
    );
  } else {
    const entry = table.kids?.get(address.id);
    if (entry?.written) {
      const version = entry.kind === "table" ? entry.kids?.get("version") : entry;
      if (!version?.written || (entry.kind === "table" && address.host)) {
        out = splice(text, entry.valueStart, entry.valueEnd, value);
      } else {
        out = splice(text, version.valueStart, version.valueEnd, range);
      }
    } else {
      // After the table's last entry (or its header), at the end of that line, comments included.
      let after = table.valueEnd;
      for (const kid of table.kids?.values() ?? []) if (kid.written && kid.valueEnd > after) after = kid.valueEnd;
      const lineEnd = text.indexOf("\n", after);
      const at = lineEnd < 0 ? text.length : lineEnd + 1;
      const lead = lineEnd < 0 ? eol : "";
      out = `${text.slice(0, at)}${lead}${key} = ${value}${eol}${text.slice(at)}`;
    }
  }
  const check = (parse(out) as { plugins?: Record<string, unknown> }).plugins?.[address.id];
  const got = typeof check === "string" ? check : (check as { version?: unknown } | undefined)?.version;
  if (got !== address.constraint)
    throw new CigError(
      "CIG_INTERNAL",
      `editing ${file} did not produce the entry for ${address.id}`,
      "Add it by hand and report this as a bug.",
    );
  return out;
}

function splice(text: string, start: number, end: number, value: string): string {
  return `${text.slice(0, start)}${value}${text.slice(end)}`;
}
