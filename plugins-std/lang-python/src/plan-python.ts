import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import { matrixOrVersion, type Reply, setupStep } from "@cig/sdk";

/** Package names in a job's `packages` that this module answers for. */
const PYTHON_PACKAGES = new Set(["python", "python3"]);
const MATRIX_AXES = new Set(["python", "python_version", "python-version"]);
/** Without a matrix axis or a detected version: the latest stable Python 3, in setup-python's spelling. */
export const DEFAULT_PYTHON = "3.x";

// The dependency cache per manager, and the files it keys on: setup-python
// fails when its cache has none of them, so without one there is no cache.
// uv has no cache in setup-python (it keeps its own).
const CACHES: Record<string, { cache: string; files: string[] }> = {
  pip: { cache: "pip", files: ["requirements.txt", "pyproject.toml"] },
  poetry: { cache: "poetry", files: ["poetry.lock"] },
  pipenv: { cache: "pipenv", files: ["Pipfile.lock"] },
};

/** The install command per manager; lockfiles are enforced where the tool can (`--deploy`, `--locked`). */
function installCommand(manager: string, file: string): string | undefined {
  switch (manager) {
    case "pip":
      return file === "requirements.txt" ? "python -m pip install -r requirements.txt" : "python -m pip install -e .";
    case "poetry":
      // pipx installed Poetry with the runner's Python; point it at the one set up for the job.
      return "poetry env use python && poetry install --no-interaction";
    case "pipenv":
      return `python -m pip install pipenv && pipenv install --dev${file === "Pipfile.lock" ? " --deploy" : ""}`;
    case "uv":
      return `python -m pip install uv && uv sync${file === "uv.lock" ? " --locked" : ""}`;
    default:
      return undefined;
  }
}

/**
 * For every job whose `packages` include "python": install Poetry first when
 * the project uses it (setup-python's poetry cache needs it), then Python
 * (per variant from a `python` matrix axis, else the detected version, else
 * the latest 3.x) with the manager's cache, then the dependencies.
 */
export function planPython(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const detected = req.facts.python_version ?? DEFAULT_PYTHON;
  const manager = req.facts.python_package_manager ?? "";
  const file = req.facts.python_dependency_file ?? "";
  const cacheable = CACHES[manager];
  const cache = cacheable?.files.includes(file) ? cacheable.cache : "";
  const install = installCommand(manager, file);
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    if (!job.packages.some((p) => PYTHON_PACKAGES.has(p))) continue;
    const version = matrixOrVersion(job, MATRIX_AXES, detected);
    if (manager === "poetry") {
      resources.push(
        setupStep(job.id, "install-poetry", 10, {
          name: "Install Poetry",
          action: { case: "run", value: { command: "pipx install poetry" } },
        }),
      );
    }
    resources.push(
      setupStep(job.id, "setup-python", 20, {
        name: "Set up Python",
        action: { case: "setupTool", value: { tool: "python", version, cache } },
      }),
    );
    if (install) {
      resources.push(
        setupStep(job.id, "install-python-deps", 30, {
          name: "Install Python dependencies",
          action: { case: "run", value: { command: install } },
        }),
      );
    }
  }
  return { resources };
}
