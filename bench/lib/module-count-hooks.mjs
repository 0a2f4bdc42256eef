// Loader hooks for the module-load probe (bench/lib/processes.mjs): appends
// the URL of every ESM module loaded to a file. Synchronous writes, so the list
// is complete by the time the import that caused the loads resolves.
import { appendFileSync } from "node:fs";

let out;

export function initialize(data) {
  out = data.out;
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (out && url.startsWith("file:")) appendFileSync(out, `${url}\n`);
  return result;
}
