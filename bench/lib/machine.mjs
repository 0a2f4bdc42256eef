// Facts about the machine a bench ran on, for the results page.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

function cpuModel() {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) return line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function osName() {
  try {
    const release = readFileSync("/etc/os-release", "utf8");
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release);
    if (pretty) return `${pretty[1]}, kernel ${os.release()}`;
  } catch {
    // not Linux
  }
  return `${os.type()} ${os.release()}`;
}

function python3Version(python) {
  try {
    return execFileSync(python, ["-c", "import sys; print(sys.version.split()[0])"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

/** CPU model, cores, RAM, Node version, OS, and the UTC date of the run. */
export function machineFacts({ python } = {}) {
  const facts = {
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    ramGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: osName(),
    arch: process.arch,
    date: execFileSync("date", ["-u"], { encoding: "utf8" }).trim(),
  };
  if (python) facts.python = python3Version(python);
  return facts;
}

/** The facts as a markdown list. */
export function machineMarkdown(f) {
  const lines = [
    `- **Date:** ${f.date}`,
    `- **CPU:** ${f.cpu} (${f.cores} cores available, ${f.arch})`,
    `- **RAM:** ${f.ramGiB} GiB`,
    `- **Node:** ${f.node}`,
  ];
  if (f.python) lines.push(`- **Python:** ${f.python} (/usr/bin/python3)`);
  lines.push(`- **OS:** ${f.os}`);
  return lines.join("\n");
}
