import type { RepoSnapshot } from "@cig/proto";

const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/** Manifests a db module reads for hints; the core inlines them. */
export const MANIFESTS = [
  "Gemfile",
  "package.json",
  "requirements.txt",
  "pyproject.toml",
  "Pipfile",
  "go.mod",
  ".tool-versions",
  ...COMPOSE_FILES,
];

/** What the repository root declares it uses, per ecosystem. */
export interface Declared {
  /** Gemfile `gem "…"` names. */
  gems: Set<string>;
  /** package.json dependencies, devDependencies and optionalDependencies. */
  npm: Set<string>;
  /** requirements.txt, pyproject.toml and Pipfile names, lower case with `-` for `_`/`.` (PEP 503). */
  python: Set<string>;
  /** go.mod required module paths. */
  goModules: string[];
  /** Compose files' `image:` references. */
  images: string[];
  /** .tool-versions entries, tool → version. */
  tools: Map<string, string>;
  /** Any inlined file as text. */
  text(path: string): string | undefined;
}

/**
 * Reads the manifests line by line, without a parser per format: these are
 * hints for detection, and files that do not parse are the language
 * modules' to report (lang/node already reports a broken package.json).
 */
export function readDeclared(repo: RepoSnapshot): Declared {
  const files = new Map(repo.files.map((f) => [f.path, f.content]));
  const text = (path: string) => {
    const content = files.get(path);
    return content === undefined ? undefined : new TextDecoder().decode(content);
  };
  const all = (path: string, re: RegExp) => [...(text(path) ?? "").matchAll(re)].map((m) => m[1] ?? "");
  const pep503 = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");
  // A TOML key (`redis = "^5"`) or a requirement string (`"psycopg[binary]>=3"`).
  const tomlNames = (path: string) => [
    ...all(path, /^\s*"?([A-Za-z0-9][\w.-]*)"?\s*=/gm),
    ...all(path, /["']([A-Za-z0-9][\w.-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@][^"']*)?["']/g),
  ];
  return {
    gems: new Set(all("Gemfile", /^\s*gem\s+["']([^"']+)["']/gm)),
    npm: new Set(npmNames(text("package.json"))),
    python: new Set(
      [...all("requirements.txt", /^\s*([A-Za-z0-9][\w.-]*)/gm), ...tomlNames("pyproject.toml"), ...tomlNames("Pipfile")].map(pep503),
    ),
    goModules: all("go.mod", /^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}\/\S+)\s+v\d/gm),
    images: COMPOSE_FILES.flatMap((f) => all(f, /^\s*image:\s*["']?([^\s"'#]+)/gm)),
    tools: new Map(all(".tool-versions", /^[ \t]*(\S+[ \t]+\S+)/gm).map((l) => l.split(/\s+/) as [string, string])),
    text,
  };
}

function npmNames(json: string | undefined): string[] {
  try {
    const pkg: unknown = JSON.parse(json ?? "{}");
    const deps = ["dependencies", "devDependencies", "optionalDependencies"].map((k) => (pkg as Record<string, unknown> | null)?.[k]);
    return deps.flatMap((d) => (typeof d === "object" && d !== null ? Object.keys(d) : []));
  } catch {
    return [];
  }
}

/**
 * The version of the first image from the official Docker Hub repository
 * `name` (`postgres:16-alpine` → "16"), or undefined. Other repositories
 * (`bitnami/postgresql`) are different images and say nothing about this one.
 */
export function officialImageVersion(images: readonly string[], name: string): string | undefined {
  for (const ref of images) {
    const [repo, tag = ""] = ref.replace(/^(docker\.io\/)?(library\/)?/, "").split(/[:@]/);
    const version = /^\d+(\.\d+)*/.exec(tag)?.[0];
    if (repo === name && version) return version;
  }
  return undefined;
}

/** The last path segment of an image's repository: `postgis/postgis:16-3.4` → "postgis". */
export function imageName(ref: string): string {
  return ref.split(/[:@]/)[0]?.split("/").at(-1) ?? "";
}
