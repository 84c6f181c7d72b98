// `npm start`: everything on one machine with nothing else installed.
//
//   1. PostgreSQL: DATABASE_URL, or an embedded server with data in SWITCHYARD_DATA_DIR
//   2. migrations, then SWITCHYARD_CONFIG (if set), then the first admin
//   3. the dashboard's production build (built on first start) and the gateway's bundle
//      (rebuilt at every start, ~0.3 s: scripts/build-gateway.ts)
//   4. the gateway (:GATEWAY_PORT) and the dashboard (:DASHBOARD_PORT) as child processes
// Ctrl-C / SIGTERM stops the children, then PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { env } from "../lib/env";
import { migrate } from "../lib/db/migrate";
import { EMBEDDED_DATABASE, embeddedPort } from "../lib/db/embedded-url";
import { createPrismaClient } from "../lib/db/client";
import { applyConfigFile } from "../lib/config/apply-file";
import { ensureFirstAdmin } from "../lib/auth/bootstrap";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./support/embedded-postgres";
import { waitForHttp } from "./support/wait-for-http";
import { buildGateway, GATEWAY_MAIN } from "./build-gateway";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..");
const say = (line: string) => console.log(`[switchyard] ${line}`);

const children: ChildProcess[] = [];
let database: EmbeddedDatabase | undefined;
let shuttingDown = false;

async function main(): Promise<void> {
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.on("SIGHUP", () => void shutdown(0, "SIGHUP"));
  // Last resort if we die without a clean shutdown: detached children would outlive us.
  process.on("exit", () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  // 1. Database
  let databaseUrl = env.databaseUrl;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL (data in ${path.join(env.dataDir, "postgres")})`);
    database = await startEmbeddedPostgres({
      dataDir: env.dataDir,
      port: embeddedPort(),
      database: EMBEDDED_DATABASE,
      log: process.env.SWITCHYARD_PG_LOG ? (line) => console.log(`[postgres] ${line}`) : undefined,
    });
    databaseUrl = database.url;
    say(`embedded PostgreSQL listening on 127.0.0.1:${database.port}`);
  } else {
    say("using the PostgreSQL server from DATABASE_URL");
  }

  // 2. Schema, config, first admin
  const { applied } = await migrate(databaseUrl);
  if (applied.length > 0) say(`applied migrations: ${applied.join(", ")}`);
  const prisma = createPrismaClient(databaseUrl);
  try {
    if (env.configFile) {
      const summary = await applyConfigFile(prisma, env.configFile);
      say(`applied ${env.configFile}: ${summary.text}`);
    }
    const dashboardUrl = `http://localhost:${env.dashboardPort}`;
    const admin = await ensureFirstAdmin(prisma, {
      email: env.adminEmail,
      password: env.adminPassword,
      dashboardUrl,
    });
    if (admin.outcome === "created-from-env") say(`created the first admin ${env.adminEmail}`);
    if (admin.outcome === "setup-link") {
      say("no admin yet. Open this one-time link to create the first admin account (valid 24 h):");
      say(`  ${admin.setupUrl}`);
    }
  } finally {
    await prisma.$disconnect();
  }

  // 3. Dashboard build
  const nextBin = require.resolve("next/dist/bin/next");
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    say("building the dashboard (first start only; takes a minute or two)");
    await run(process.execPath, [nextBin, "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  }

  // The gateway runs as compiled JavaScript under bare node (no TypeScript loader on the hot
  // path). Rebuilt every time so it always matches the source tree.
  await buildGateway();

  // 4. Processes
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    SWITCHYARD_DATA_DIR: env.dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The embedded database and the first admin are handled here, not by the children.
  delete childEnv.SWITCHYARD_CONFIG;
  supervise("gateway", spawn(process.execPath, ["--enable-source-maps", GATEWAY_MAIN], {
    cwd: root,
    env: asProcessEnv({ ...childEnv, GATEWAY_PORT: String(env.gatewayPort) }),
    stdio: "inherit",
    // Own process group: a terminal Ctrl-C reaches only us, and we stop the children
    // in order (gateway drains before PostgreSQL goes away).
    detached: true,
  }));
  supervise("dashboard", spawn(process.execPath, [nextBin, "start", "-p", String(env.dashboardPort)], {
    cwd: root,
    env: asProcessEnv({ ...childEnv, PORT: String(env.dashboardPort) }),
    stdio: "inherit",
    detached: true,
  }));

  await Promise.all([
    waitForHttp(`http://127.0.0.1:${env.gatewayPort}/ready`, 60_000),
    waitForHttp(`http://127.0.0.1:${env.dashboardPort}/api/health`, 90_000),
  ]);
  say(`gateway   http://localhost:${env.gatewayPort}  (OpenAI base URL: http://localhost:${env.gatewayPort}/v1)`);
  say(`dashboard http://localhost:${env.dashboardPort}`);
  say("ready. Ctrl-C stops everything.");
}

// Next's types declare NODE_ENV as always present; a child inherits it (or not) from us.
function asProcessEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return vars as unknown as NodeJS.ProcessEnv;
}

function supervise(name: string, child: ChildProcess): void {
  children.push(child);
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    console.error(`[switchyard] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void shutdown(1, `${name} exit`);
  });
}

function run(command: string, args: string[], childEnv: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: asProcessEnv(childEnv), stdio: "inherit" });
    children.push(child);
    child.on("exit", (code) => {
      children.splice(children.indexOf(child), 1);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(" ")} failed with code ${code}`));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function shutdown(code: number, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`stopping (${reason})`);
  for (const child of children) child.kill("SIGTERM");
  // The gateway drains in-flight requests and flushes logs before it exits.
  await Promise.all(children.map((child) => waitForExit(child, 20_000)));
  if (database) {
    await database.stop().catch((error: unknown) => console.error("[switchyard] stopping PostgreSQL failed:", error));
    say("PostgreSQL stopped");
  }
  process.exit(code);
}

main().catch(async (error: unknown) => {
  console.error(`[switchyard] start failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause) console.error(error.cause);
  await shutdown(1, "start failed");
});
