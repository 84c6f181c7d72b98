// `node:cluster` mode (issue 9): GATEWAY_WORKERS gateway processes share one listening port.
// Budgets, rate limits, cooldowns and live logs are only shared between processes through
// Redis, so more than one worker needs REDIS_URL: an explicit GATEWAY_WORKERS > 1 without it
// is a start error (silently splitting a budget N ways would let it be overspent N times);
// the default — one worker per core — quietly falls back to one worker without Redis.
import cluster, { type Worker } from "node:cluster";
import os from "node:os";

type Env = Readonly<Record<string, string | undefined>>;

export interface WorkerPlan {
  readonly workers: number;
  /** Why the count is what it is (printed at start). */
  readonly reason: string;
}

export function workerPlanFromEnv(env: Env = process.env, cores: number = os.availableParallelism()): WorkerPlan {
  const raw = env.GATEWAY_WORKERS?.trim();
  const redis = Boolean(env.REDIS_URL);
  if (raw === undefined || raw === "" || raw === "auto") {
    if (!redis) return { workers: 1, reason: "1 worker: without REDIS_URL, counters live in one process" };
    return { workers: cores, reason: `${cores} workers (one per core; counters shared through Redis)` };
  }
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`GATEWAY_WORKERS must be a whole number ≥ 1 or "auto", got "${raw}"`);
  if (workers > 1 && !redis) {
    throw new Error(`GATEWAY_WORKERS=${workers} needs REDIS_URL: budgets, rate limits, cooldowns and live logs are shared between worker processes only through Redis`);
  }
  return { workers, reason: `${workers} worker${workers === 1 ? "" : "s"} (GATEWAY_WORKERS)` };
}

/**
 * The primary: forks the workers, replaces one that dies unexpectedly (at most once a second,
 * so a worker that cannot start does not spin), and on SIGTERM/SIGINT asks every worker to
 * drain (SIGTERM) and exits once all have, with 0 only if every worker exited cleanly.
 */
export function runPrimary(plan: WorkerPlan, log: (line: string) => void): void {
  let stopping = false;
  let lastRestart = 0;
  const exitCodes: number[] = [];
  const fork = () => cluster.fork({ SWITCHYARD_GATEWAY_WORKER: "1" });
  for (let i = 0; i < plan.workers; i++) fork();
  log(`gateway: ${plan.reason}`);

  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      exitCodes.push(code ?? 1);
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCodes.every((c) => c === 0) ? 0 : 1);
      return;
    }
    log(`gateway: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    const wait = Math.max(0, lastRestart + 1_000 - Date.now());
    lastRestart = Date.now() + wait;
    setTimeout(fork, wait);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`gateway: second ${signal}, killing workers without draining`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    log(`gateway: ${signal} received, draining ${Object.keys(cluster.workers ?? {}).length} workers`);
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
