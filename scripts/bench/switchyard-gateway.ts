// The gateway as a benchmark target: on GW_PORT against BENCH_DATABASE_URL (the database side
// of scripts/bench/switchyard-target.ts prepared it). BENCH_REDIS_URL set: Redis counters (with
// a unique key prefix); unset: in-process counters, even if REDIS_URL is set. The benchmark
// runs the bundled build of this file (scripts/build-gateway.ts → .build/gateway/bench-gateway.js)
// under bare node, as `npm start` runs the gateway.
import { startGateway } from "../../gateway/server";

const say = (line: string) => process.stderr.write(`[switchyard-gateway] ${line}\n`);

async function runGateway(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const port = Number(process.env.GW_PORT);
  if (!databaseUrl || !Number.isInteger(port) || port <= 0) throw new Error("BENCH_DATABASE_URL and GW_PORT are required");
  const redisUrl = process.env.BENCH_REDIS_URL || null;
  const gateway = await startGateway({
    databaseUrl,
    port,
    host: "127.0.0.1",
    governance: {
      redisUrl,
      // A unique prefix per run, so counters from an earlier run never leak into this one.
      ...(redisUrl ? { redisKeyPrefix: `switchyard-bench:${Date.now().toString(36)}:` } : {}),
    },
  });
  say(`gateway on 127.0.0.1:${gateway.port}, counters: ${redisUrl ? "Redis" : "in-process"}`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

runGateway().catch((error: unknown) => {
  say(`failed: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
