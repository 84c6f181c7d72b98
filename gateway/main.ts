// `npm run gateway`: the gateway (PRODUCT §10). Needs DATABASE_URL. With GATEWAY_WORKERS > 1
// (or its default, one per core, when REDIS_URL is set) this process is a `node:cluster`
// primary and the workers below serve the port (gateway/gateway-workers.ts).
import cluster from "node:cluster";
import { env, requireDatabaseUrl } from "../lib/env";
import { gatewayHostFromEnv } from "./gateway-env";
import { runPrimary, workerPlanFromEnv } from "./gateway-workers";
import { startGateway } from "./server";

async function serve(): Promise<void> {
  const host = gatewayHostFromEnv();
  const gateway = await startGateway({ databaseUrl: requireDatabaseUrl(), port: env.gatewayPort, host });
  const role = cluster.isWorker ? ` (worker ${process.pid})` : "";
  console.log(`gateway listening on http://${host ?? "localhost"}:${gateway.port}${role}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`gateway: second ${signal}, exiting without draining`);
      process.exit(1);
    }
    stopping = true;
    console.error(`gateway${role}: ${signal} received, draining`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`gateway: shutdown failed: ${(error as Error)?.stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  // A worker's Ctrl-C reaches the primary too, which forwards SIGTERM: taking SIGINT here as
  // well would count as a second signal and skip the drain.
  if (cluster.isWorker) process.on("SIGINT", () => undefined);
  else process.on("SIGINT", stop);
}

async function main(): Promise<void> {
  if (cluster.isPrimary) {
    const plan = workerPlanFromEnv();
    if (plan.workers > 1) {
      requireDatabaseUrl();
      runPrimary(plan, (line) => console.error(line));
      return;
    }
  }
  await serve();
}

main().catch((error: unknown) => {
  console.error(`gateway: failed to start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
