import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { markerName as coreMarkerName } from "../../../core/src/signatures/pass-store.js";
import { markerName, recordPassEntry } from "../src/record-pass-entry.js";
import { generateValid } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";

// The shell the machinery writes, run for real in `sh` with stand-ins for cig
// and buildkite-agent: what a Buildkite agent would do with it.

const SIG = `blake3:${"ab".repeat(32)}`;

/** A scratch checkout with an executable stand-in at `bin/<name>` that logs its arguments and exits with `status`. */
function scratch(stubs: Record<string, { status: number; stdout?: string }>): { dir: string; log: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), "cig-bk-"));
  spawnSync("mkdir", ["-p", join(dir, "bin")]);
  for (const [name, stub] of Object.entries(stubs)) {
    const path = join(dir, "bin", name);
    writeFileSync(
      path,
      `#!/bin/sh\necho "${name} $*" >> "${dir}/calls"\n${stub.stdout ? `printf '%s\\n' '${stub.stdout}'\n` : ""}exit ${stub.status}\n`,
    );
    chmodSync(path, 0o755);
  }
  const log = () => (existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n") : []);
  return { dir, log };
}

function sh(script: string, dir: string): { status: number | null; stdout: string } {
  const r = spawnSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", env: { PATH: `${join(dir, "bin")}:${process.env.PATH}` } });
  return { status: r.status, stdout: r.stdout };
}

const settings = (command: string, storeDir = ".cig/passes") => ({ command, storeDir, agents: undefined });

describe("the pass record entry, run by sh", () => {
  it("names markers exactly as the core does, odd variant ids included", () => {
    for (const id of ["test-shard1", "test-mac os", "t-linux/amd64", "x!~*'()é", "a%b"])
      expect(markerName(id, SIG)).toBe(coreMarkerName(id, SIG));
    expect(markerName("a", "blake3:short")).toBeUndefined();
  });

  it("records with the cig command after a passing job, and leaves the job's status alone", () => {
    const { dir, log } = scratch({ cig: { status: 0 } });
    const r = sh(`cig_failed=0\n${recordPassEntry("test-mac os", SIG, settings("cig"))}\necho "status=$cig_failed"`, dir);
    expect(log()).toEqual([`cig record-pass test-mac os --signature ${SIG}`]);
    expect(existsSync(join(dir, ".cig"))).toBe(false);
    expect(r.stdout).toBe("status=0\n");
  });

  it("creates the bare marker when the cig command cannot run (a tool image without Node)", () => {
    const { dir } = scratch({});
    const r = sh(`cig_failed=0\n${recordPassEntry("test-mac os", SIG, settings("no-such-cig-command"))}\necho "status=$cig_failed"`, dir);
    expect(readdirSync(join(dir, ".cig/passes"))).toEqual([markerName("test-mac os", SIG)]);
    expect(r.stdout).toBe("status=0\n");
  });

  it("never overwrites a marker that exists (the fallback only creates)", () => {
    const { dir, log } = scratch({ cig: { status: 1 } });
    spawnSync("mkdir", ["-p", join(dir, "store")]);
    const marker = join(dir, "store", markerName("docs", SIG) as string);
    writeFileSync(marker, '{"manifest":true}\n');
    sh(`cig_failed=0\n${recordPassEntry("docs", SIG, settings("cig", join(dir, "store")))}`, dir);
    expect(log()).toEqual([`cig record-pass docs --signature ${SIG}`]);
    expect(readFileSync(marker, "utf8")).toBe('{"manifest":true}\n');
  });

  it("records nothing after a failed step", () => {
    const { dir, log } = scratch({ cig: { status: 0 } });
    const r = sh(`cig_failed=1\n${recordPassEntry("docs", SIG, settings("cig"))}\necho "status=$cig_failed"`, dir);
    expect(log()).toEqual([]);
    expect(existsSync(join(dir, ".cig"))).toBe(false);
    expect(r.stdout).toBe("status=1\n");
  });
});

describe("the bootstrap step, run by sh", () => {
  const bootstrapScript = async () => {
    const { pl } = await generateValid(
      request([job("docs", { skippable: true, steps: [run("make docs")] })], { signatures: { command: "cig" } }),
    );
    return pl.steps[0].commands.join("\n") as string;
  };

  it("uploads what compute-signatures rendered", async () => {
    const { dir, log } = scratch({ cig: { status: 0, stdout: "steps: []" }, "buildkite-agent": { status: 0 } });
    const r = sh(await bootstrapScript(), dir);
    expect(r.status).toBe(0);
    expect(log()).toEqual(["cig compute-signatures --render buildkite", "buildkite-agent pipeline upload .cig/pipeline.yml"]);
    expect(readFileSync(join(dir, ".cig/pipeline.yml"), "utf8")).toBe("steps: []\n");
  });

  it("fails without uploading when compute-signatures fails", async () => {
    const { dir, log } = scratch({ cig: { status: 3 }, "buildkite-agent": { status: 0 } });
    const r = sh(await bootstrapScript(), dir);
    expect(r.status).toBe(3);
    expect(log()).toEqual(["cig compute-signatures --render buildkite"]);
  });
});
