import { createTestHarness } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { langPythonDefinition } from "../src/plugin-definition.js";

const h = createTestHarness(langPythonDefinition);
const stepOf = (res: Awaited<ReturnType<typeof h.plan>>, id: string) => {
  const spec = res.resources.find((r) => r.id === id)?.spec;
  return spec?.case === "step" ? spec.value : undefined;
};
const plan = (facts: Record<string, string>, job: object = { id: "test", packages: ["python"] }) =>
  h.plan({ facts, schema: { jobs: [job] } });

describe("lang/python plan", () => {
  it("Poetry: installs Poetry (10), sets Python up with the poetry cache (20), then installs (30)", async () => {
    const res = await plan({ python_version: "3.12", python_package_manager: "poetry", python_dependency_file: "poetry.lock" });
    expect(res.resources.map((r) => [r.id, stepOf(res, r.id)?.order])).toEqual([
      ["step:test/install-poetry", 10],
      ["step:test/setup-python", 20],
      ["step:test/install-python-deps", 30],
    ]);
    expect(stepOf(res, "step:test/setup-python")?.step?.action.value).toEqual(
      expect.objectContaining({ tool: "python", version: "3.12", cache: "poetry" }),
    );
    expect(stepOf(res, "step:test/install-python-deps")?.step?.action.value).toMatchObject({
      command: "poetry env use python && poetry install --no-interaction",
    });
  });

  it.each([
    ["pip", "requirements.txt", "pip", "python -m pip install -r requirements.txt"],
    ["pip", "pyproject.toml", "pip", "python -m pip install -e ."],
    // setup-python's pip cache needs requirements.txt or pyproject.toml and fails without them.
    ["pip", "setup.py", "", "python -m pip install -e ."],
    ["pipenv", "Pipfile.lock", "pipenv", "python -m pip install pipenv && pipenv install --dev --deploy"],
    ["pipenv", "Pipfile", "", "python -m pip install pipenv && pipenv install --dev"],
    ["uv", "uv.lock", "", "python -m pip install uv && uv sync --locked"],
    ["poetry", "pyproject.toml", "", "poetry env use python && poetry install --no-interaction"],
  ])("%s with %s: cache %j, then `%s`", async (manager, file, cache, command) => {
    const res = await plan({ python_package_manager: manager, python_dependency_file: file });
    expect(stepOf(res, "step:test/setup-python")?.step?.action.value).toMatchObject({ cache });
    expect(stepOf(res, "step:test/install-python-deps")?.step?.action.value).toMatchObject({ command });
  });

  it("takes the version from a python matrix axis; without facts: 3.x, no cache, nothing to install", async () => {
    const matrix = { axes: [{ name: "python", values: ["3.11", "3.12"] }] };
    const res = await plan({ python_version: "3.12" }, { id: "test", packages: ["python3"], matrix });
    expect(stepOf(res, "step:test/setup-python")?.step?.action.value).toMatchObject({ version: "{{ matrix.python }}" });
    const bare = await plan({});
    expect(bare.resources.map((r) => r.id)).toEqual(["step:test/setup-python"]);
    expect(stepOf(bare, "step:test/setup-python")?.step?.action.value).toMatchObject({ version: "3.x", cache: "" });
  });

  it("contributes nothing to jobs without python in packages", async () => {
    expect((await plan({ python_package_manager: "pip" }, { id: "lint", packages: ["node"] })).resources).toEqual([]);
  });
});
