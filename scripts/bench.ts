// `npm run bench` (PRODUCT §10): the side-by-side gateway overhead benchmark.
//
// A thin wrapper around scripts/bench/bench.mjs (the orchestrator, adapted from the team's kit in
// ../shared/bench): it checks the prerequisites, then runs the orchestrator pinned to the LOAD cpu
// with `taskset`, so that nothing of the harness competes with the gateway core. Every flag is passed
// through (`npm run bench -- --quick`, `-- --targets direct,node,switchyard`); `-- --help` lists them.
// Results: the markdown report on stdout, JSON + markdown under bench-results/.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildGateway } from "./build-gateway";

const here = path.join(import.meta.dirname, "bench");
const args = process.argv.slice(2);

if (args.includes("-h") || args.includes("--help")) {
  process.stdout.write(readFileSync(path.join(here, "help.txt"), "utf8"));
  process.exit(0);
}

if (args.includes("--micro")) {
  // In-process micro-benchmarks (governance admit+settle, rule matching); no wrk needed.
  const micro = spawn(process.execPath, ["--import", "tsx", path.join(here, "micro.ts")], { stdio: "inherit" });
  micro.on("exit", (code) => process.exit(code ?? 1));
} else if (args.includes("--cache")) {
  // Response cache: exact and semantic hit latency with 10,000 entries, and the miss overhead.
  const cache = spawn(process.execPath, ["--import", "tsx", path.join(here, "cache-bench.ts"), ...args.filter((arg) => arg !== "--cache")], { stdio: "inherit" });
  cache.on("exit", (code) => process.exit(code ?? 1));
} else if (args.includes("--soak")) {
  // The soak and the side-by-side run start the gateway bundle, as npm start does.
  await buildGateway();
  // A long fixed-rate run of Switchyard alone: RSS and latency per window, leak verdict.
  const soak = spawn(process.execPath, [path.join(here, "soak.mjs"), ...args.filter((arg) => arg !== "--soak")], { stdio: "inherit" });
  soak.on("exit", (code) => process.exit(code ?? 1));
} else {
  await buildGateway();
  runSideBySide();
}

function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function runSideBySide(): void {
  const missing = ["wrk", "taskset"].filter((command) => !onPath(command));
  if (missing.length > 0) {
    console.error(`bench: missing ${missing.join(", ")}. On Debian/Ubuntu: apt-get install -y wrk util-linux nginx-light`);
    process.exit(1);
  }
  if (!onPath("nginx")) {
    // Optional: bench.mjs drops the nginx target with a note in the report.
    console.error("bench: nginx not found, the nginx target is skipped (apt-get install -y nginx-light to include it)");
  }
  if (os.cpus().length < 2) {
    console.error("bench: WARNING: fewer than 2 CPUs; the gateway and the load driver cannot be pinned apart");
  }

  /** Same precedence as bench.mjs: --load-cpu N / --load-cpu=N, then BENCH_LOAD_CPU, then 0. */
  function loadCpu(): string {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--load-cpu" && args[i + 1] !== undefined) return args[i + 1] as string;
      if (arg?.startsWith("--load-cpu=")) return arg.slice("--load-cpu=".length);
    }
    return process.env.BENCH_LOAD_CPU || "0";
  }

  const child = spawn("taskset", ["-c", loadCpu(), process.execPath, path.join(here, "bench.mjs"), ...args], {
    stdio: "inherit",
  });
  // The orchestrator stops its own children on SIGINT/SIGTERM; we only forward and wait for it.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
