// `npm run gateway`: one gateway process (PRODUCT §10). Needs DATABASE_URL.
import { env, requireDatabaseUrl } from "../lib/env";
import { gatewayHostFromEnv } from "./gateway-env";
import { startGateway } from "./server";

async function main(): Promise<void> {
  const host = gatewayHostFromEnv();
  const gateway = await startGateway({ databaseUrl: requireDatabaseUrl(), port: env.gatewayPort, host });
  console.log(`gateway listening on http://${host ?? "localhost"}:${gateway.port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`gateway: second ${signal}, exiting without draining`);
      process.exit(1);
    }
    stopping = true;
    console.error(`gateway: ${signal} received, draining`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`gateway: shutdown failed: ${(error as Error)?.stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`gateway: failed to start: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
