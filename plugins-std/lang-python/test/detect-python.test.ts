import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectPython } from "../src/detect-python.js";
import { langPythonDefinition } from "../src/plugin-definition.js";

const enc = new TextEncoder();
const repo = (files: Record<string, string | null>) => fakeRepo(files);
const POETRY = '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n';

describe("lang/python detection", () => {
  it("reads .python-version (first line of pyenv's list) and takes the manager from the lockfile", () => {
    const r = detectPython(repo({ ".python-version": "3.12.1\n3.11.7\n", "pyproject.toml": POETRY, "poetry.lock": null }));
    expect(r.facts).toEqual({
      python_version: "3.12.1",
      python_version_source: ".python-version",
      python_package_manager: "poetry",
      python_dependency_file: "poetry.lock",
    });
    expect(r.signals).toEqual(["python_detected", "has_pyproject_toml", "has_poetry_lock", "has_python_version"]);
    expect(r.confidence).toBe(0.9);
  });

  it.each([
    [{ "pyproject.toml": '[project]\nname = "x"\n', "uv.lock": null, "requirements.txt": "" }, "uv", "uv.lock"],
    [{ Pipfile: "[packages]\n", "Pipfile.lock": null }, "pipenv", "Pipfile.lock"],
    [{ Pipfile: "[packages]\n" }, "pipenv", "Pipfile"],
    [{ "pyproject.toml": POETRY }, "poetry", "pyproject.toml"],
    [{ "pyproject.toml": "[tool.uv]\ndev-dependencies = []\n" }, "uv", "pyproject.toml"],
    [{ "requirements.txt": "django==5.0\n", "pyproject.toml": '[project]\nname = "x"\n' }, "pip", "requirements.txt"],
    [{ "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n' }, "pip", "pyproject.toml"],
    [{ "setup.py": "" }, "pip", "setup.py"],
  ])("package manager and dependency file (%#)", (files, manager, file) => {
    expect(detectPython(repo(files)).facts).toMatchObject({ python_package_manager: manager, python_dependency_file: file });
  });

  it("a pyproject.toml with tool settings only is Python, but nothing pip can install", () => {
    const r = detectPython(repo({ "pyproject.toml": "[tool.ruff]\nline-length = 100\n" }));
    expect(r).toMatchObject({ confidence: 0.9, facts: {} });
  });

  it("falls back to .tool-versions, then Pipfile's [requires]", () => {
    expect(detectPython(repo({ ".tool-versions": "python 3.11.9\n", Pipfile: "" })).facts).toMatchObject({ python_version: "3.11.9" });
    const r = detectPython(repo({ Pipfile: '[requires]\npython_version = "3.10"\n' }));
    expect(r.facts).toMatchObject({ python_version: "3.10", python_version_source: "Pipfile#requires" });
  });

  it("reports a pyenv-virtualenv name in .python-version where it is, and goes on to the next source", () => {
    const r = detectPython(repo({ ".python-version": "  myproject-env\n", ".tool-versions": "python 3.12.2" }));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: "LANG_PYTHON_BAD_VERSION",
        loc: expect.objectContaining({ path: ".python-version", line: 1, column: 3 }),
      }),
    ]);
    expect(r).toMatchObject({ confidence: 0.6, facts: { python_version: "3.12.2", python_version_source: ".tool-versions" } });
  });

  it("reports a manifest it cannot read, and finds nothing in a repository without Python", () => {
    const r = detectPython(repo({ "pyproject.toml": null }));
    expect(r.diagnostics?.map((d) => d.code)).toEqual(["LANG_PYTHON_FILE_NOT_READ"]);
    expect(detectPython(repo({ Gemfile: "", ".tool-versions": "ruby 3.3.0" }))).toMatchObject({ signals: [], facts: {}, confidence: 0 });
  });

  it("works through the SDK test harness (wire round trip)", async () => {
    const h = createTestHarness(langPythonDefinition);
    expect(h.info()).toMatchObject({ name: "lang/python", capabilities: expect.arrayContaining(["lang:python"]) });
    const res = await h.detect({
      repo: { root: "/r", files: [{ path: "requirements.txt" }, { path: ".python-version", content: enc.encode("3.13") }] },
    });
    expect(res.facts).toMatchObject({ python_version: "3.13", python_package_manager: "pip" });
  });
});
