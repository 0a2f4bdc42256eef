import { type DetectResponseSchema, Diagnostic_Level, type DiagnosticSchema, type RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { firstValue, type Located, matchLocated, repoText, toolVersion } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. Lockfiles only need to exist. */
export const DETECT_PATTERNS = [".python-version", ".tool-versions", "pyproject.toml", "Pipfile"];

// Any of these makes a Python project; lockfiles are signalled too but never appear alone.
const MANIFESTS = ["pyproject.toml", "requirements.txt", "setup.py", "Pipfile"];
const MARKERS = [...MANIFESTS, "Pipfile.lock", "poetry.lock", "uv.lock"];
// A lockfile says which tool wrote it, so it decides before any manifest does.
const LOCKFILES: ReadonlyArray<[file: string, manager: string]> = [
  ["poetry.lock", "poetry"],
  ["uv.lock", "uv"],
  ["Pipfile.lock", "pipenv"],
];
// 3.12, 3.12.1, 3.13t, 3.14-dev, pypy3.10, graalpy-24.1: what setup-python and pyenv accept.
const USABLE_VERSION = /^(\d+(\.\d+){0,2}[\w.+-]*|(pypy|graalpy)[\w.-]*)$/;

/**
 * Detects a Python project at the repository root: the Python version (from
 * .python-version, .tool-versions, then Pipfile's [requires], as pyenv, asdf
 * and pipenv read them; `requires-python` is a range, not a version), the
 * package manager (lockfile first, then manifest) and the file it installs from.
 */
export function detectPython(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const files = repoText(repo, "LANG_PYTHON");
  const signals: string[] = MARKERS.filter((f) => files.has(f)).map((f) => `has_${f.replace(/[-.]/g, "_").toLowerCase()}`);
  const facts: Record<string, string> = {};
  const diagnostics: Reply<typeof DiagnosticSchema>[] = [];

  const sources: Array<[string, Located | undefined]> = [
    [".python-version", firstValue(files.text(".python-version"))],
    [".tool-versions", toolVersion(files.text(".tool-versions"), ["python"])],
    ["Pipfile#requires", matchLocated(files.text("Pipfile"), /^\s*python_(?:full_)?version\s*=\s*["']([^"']+)["']/m)],
  ];
  for (const [source, found] of sources) {
    if (found && source.startsWith(".")) signals.push(`has_${source.slice(1).replace(/[-.]/g, "_")}`);
    if (!found || facts.python_version) continue;
    if (!USABLE_VERSION.test(found.value)) {
      diagnostics.push(badVersion(source.split("#")[0] ?? source, found));
      continue;
    }
    facts.python_version = found.value;
    facts.python_version_source = source;
  }

  const managed = packageManager(files.has, tables(files.text("pyproject.toml")));
  if (managed) {
    facts.python_package_manager = managed.manager;
    facts.python_dependency_file = managed.file;
  }
  const confidence = MANIFESTS.some((f) => files.has(f)) ? 0.9 : facts.python_version ? 0.6 : 0;
  if (confidence > 0) signals.unshift("python_detected");
  return { signals, facts, confidence, diagnostics: [...files.diagnostics, ...diagnostics] };
}

/** pip, poetry, uv or pipenv, and the file installs read (lockfile, else manifest). */
function packageManager(has: (f: string) => boolean, pyproject: Set<string>): { manager: string; file: string } | undefined {
  const lock = LOCKFILES.find(([file]) => has(file));
  if (lock) return { manager: lock[1], file: lock[0] };
  if (has("Pipfile")) return { manager: "pipenv", file: "Pipfile" };
  if ([...pyproject].some((t) => t === "tool.poetry" || t.startsWith("tool.poetry."))) return { manager: "poetry", file: "pyproject.toml" };
  if (pyproject.has("tool.uv")) return { manager: "uv", file: "pyproject.toml" };
  if (has("requirements.txt")) return { manager: "pip", file: "requirements.txt" };
  // Only a pyproject with [project] or [build-system] can be pip-installed; one holding tool settings cannot.
  if (pyproject.has("project") || pyproject.has("build-system")) return { manager: "pip", file: "pyproject.toml" };
  return has("setup.py") ? { manager: "pip", file: "setup.py" } : undefined;
}

/** The table names of a TOML file ("tool.poetry", "project"), read line by line: enough to tell tools apart. */
function tables(text: string | undefined): Set<string> {
  return new Set([...(text ?? "").matchAll(/^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/gm)].map((m) => (m[1] ?? "").replace(/\s|"/g, "")));
}

function badVersion(path: string, found: Located): Reply<typeof DiagnosticSchema> {
  return {
    level: Diagnostic_Level.WARNING,
    code: "LANG_PYTHON_BAD_VERSION",
    title: `${path} does not name a Python version`,
    message: `Found ${JSON.stringify(found.value)}; expected a version such as 3.12 or pypy3.10 (a pyenv-virtualenv name is not one). It was ignored.`,
    fixHint: `Write the version alone on the line, e.g. 3.12, or set it with a \`python\` matrix axis.`,
    loc: { path, line: found.line, column: found.column, endLine: found.line, endColumn: found.column + [...found.value].length },
  };
}
