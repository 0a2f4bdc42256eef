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
    const byHand = (why: string) =>
      new CigError(
        "CIG_USAGE",
        `${file}: ${why}; cig plugin add edits only plain \`"name" = …\` entries`,
        `Change it by hand to ${key} = ${value}, then run \`cig sync\`.`,
      );
    const entry = table.kids?.get(address.id);
    if (entry?.written) {
      const isHeader = text.charCodeAt(entry.valueStart) === 0x5b; /* [ */
      if (entry.implicit) throw byHand(`${key} is written with dotted keys`);
      const version = entry.kind === "table" ? entry.kids?.get("version") : entry;
      if (isHeader && (address.host || !version?.written)) throw byHand(`${key} is a [plugins.${key}] section`);
      // A host changes where the plugin comes from: the whole value is replaced, never just the range.
      if (address.host || !version?.written) out = splice(text, entry.valueStart, entry.valueEnd, value);
      else out = splice(text, version.valueStart, version.valueEnd, range);
    } else {
      // After the last entry of the [plugins] section itself (a [plugins."x"] sub-section after it
      // is another section), at the end of that line, comments included; else after the header.
      const next = /^[ \t]*\[/m.exec(text.slice(table.valueEnd));
      const sectionEnd = next ? table.valueEnd + next.index : text.length;
      let after = table.valueEnd;
      for (const kid of table.kids?.values() ?? [])
        if (kid.written && kid.valueEnd > after && kid.valueEnd <= sectionEnd && text.charCodeAt(kid.valueStart) !== 0x5b)
          after = kid.valueEnd;
      const lineEnd = text.indexOf("\n", after);
      const at = lineEnd < 0 ? text.length : lineEnd + 1;
      const lead = lineEnd < 0 ? eol : "";
      out = `${text.slice(0, at)}${lead}${key} = ${value}${eol}${text.slice(at)}`;
    }
  }
  let check: unknown;
  try {
    check = (parse(out) as { plugins?: Record<string, unknown> }).plugins?.[address.id];
  } catch {
    check = undefined;
  }
  const got = typeof check === "string" ? { version: check } : ((check ?? {}) as { version?: unknown; source?: unknown });
  if (got.version !== address.constraint || (address.host !== undefined && got.source !== address.host))
    throw new CigError(
      "CIG_USAGE",
      `${file}: cig plugin add could not add ${key} without changing anything else`,
      `Add ${key} = ${value} to [plugins] by hand, then run \`cig sync\`.`,
    );
  return out;
}

function splice(text: string, start: number, end: number, value: string): string {
  return `${text.slice(0, start)}${value}${text.slice(end)}`;
}
