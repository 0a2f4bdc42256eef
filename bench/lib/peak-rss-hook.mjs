// Preloaded into a `cig` process by the render bench
// (`node --import bench/lib/peak-rss-hook.mjs core/bin/cig.js …`): when the
// process exits, writes "<peak RSS kB> <user CPU µs> <system CPU µs>" of the
// process itself to the file named by CIG_BENCH_PEAK_RSS_FILE. The peak RSS is
// VmHWM of /proc/self/status; unlike `/usr/bin/time`'s %M (the largest of the
// process and the children it reaped), it excludes the plugins cig spawned.
import { readFileSync, writeFileSync } from "node:fs";

const out = process.env.CIG_BENCH_PEAK_RSS_FILE;
if (out) {
  process.on("exit", () => {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    const cpu = process.cpuUsage();
    writeFileSync(out, `${m ? m[1] : "0"} ${cpu.user} ${cpu.system}`);
  });
}
