/**
 * A place in the parsed document: table keys and array indices from the root,
 * e.g. `["jobs", "test", "needs", 0]`. Later stages name values by path and
 * ask the loader's locator where they are written.
 */
export type DocPath = readonly (string | number)[];

const BARE = /^[A-Za-z0-9_-]+$/;

/** The path as people read it: `jobs.test.steps[0].run`; keys that are not bare are quoted. */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += `${out ? "." : ""}${BARE.test(part) ? part : JSON.stringify(part)}`;
  }
  return out;
}

/** A TOML key as written in a file: bare when it can be, quoted otherwise. */
export function formatKey(key: string): string {
  return BARE.test(key) ? key : JSON.stringify(key);
}

/** A map key for a path; JSON keeps 0 and "0" apart. */
export function pathKey(path: DocPath): string {
  return JSON.stringify(path);
}

/** The JSON Pointer (RFC 6901) of a path, as Ajv reports it in `instancePath`. */
export function toPointer(path: DocPath): string {
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/**
 * The path of a JSON Pointer into `root`. A pointer does not say whether "0"
 * is an array index or a table key, so the data decides.
 */
export function fromPointer(pointer: string, root: unknown): (string | number)[] {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let here: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(here)) {
      const index = Number(key);
      path.push(index);
      here = here[index];
    } else {
      path.push(key);
      here = here !== null && typeof here === "object" ? (here as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}
