// Switchyard as a target of the overhead benchmark (scripts/bench/bench.mjs starts it).
//
//   tsx scripts/bench/switchyard-target.ts db --ready-file FILE
//       Database side: DATABASE_URL's server (a fresh throw-away database on it, dropped at
//       exit) or an embedded PostgreSQL in a temp dir; migrates, applies the bench config
//       (one openai-compatible provider pointing at MOCK_OPENAI_BASE_URL, one virtual key with
//       budgets and rate limits), writes {"databaseUrl","virtualKey",...} to FILE, then keeps
//       PostgreSQL running until SIGTERM/SIGINT.
//   tsx scripts/bench/switchyard-target.ts gateway
//       The gateway (scripts/bench/switchyard-gateway.ts) from source. The benchmark runs the
//       bundled build of that file instead: node .build/gateway/bench-gateway.js, like npm start.
//
// Why two processes and not one launcher: the harness pins the gateway to its own core and
// charges the CPU and RSS of the gateway's whole process tree to it. PostgreSQL started by the
// gateway's launcher would share that core and be counted as gateway cost, so the orchestrator
// runs the database side on the load core, like the mock upstream.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** The virtual key every Switchyard bench request carries (bench-only; never a real secret). */
export const BENCH_VIRTUAL_KEY = "sk-sy-bench-0000000000000000000000000001";
/** Provider name in the bench config; requests use `<provider>/<model>`. */
export const BENCH_PROVIDER = "mock";

const say = (line: string) => process.stderr.write(`[switchyard-target] ${line}\n`);

function benchConfigYaml(mockOpenAiBaseUrl: string): string {
  // Limits are far above what a run can reach, so every request passes governance but still
  // pays for it: budget lookups, rate-limit and concurrency counters, cost estimation.
  // Pricing is explicit so the USD budget and the cost header never depend on a price table.
  return `
providers:
  - name: ${BENCH_PROVIDER}
    type: openai-compatible
    base_url: ${JSON.stringify(mockOpenAiBaseUrl)}
    keys:
      - { name: bench, value: sk-mock-upstream-unused }
pricing:
  - { model: ${BENCH_PROVIDER}/gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
virtual_keys:
  - name: bench
    value: ${BENCH_VIRTUAL_KEY}
    models: ["*"]
    budgets:
      - { usd: 1000000, window: 1d }
      - { tokens: 1000000000000, window: 1d }
    rate_limits:
      - { requests: 1000000000, window: 1m }
      - { tokens: 1000000000000, window: 1h }
      - { concurrent: 100000 }
`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function runDb(readyFile: string): Promise<void> {
  const mockBase = process.env.MOCK_OPENAI_BASE_URL;
  if (!mockBase) throw new Error("MOCK_OPENAI_BASE_URL is not set (bench.mjs sets it)");

  const cleanups: Array<() => Promise<void>> = [];
  // Holds the embedded cluster (if any) and master.key, which encrypts the provider key; the
  // gateway gets the same dir so it can decrypt it. Never the operator's own data dir.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-"));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the dir.
  chmodSync(dataDir, 0o755);
  process.env.SWITCHYARD_DATA_DIR = dataDir;
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string;
  let where: string;
  const external = process.env.DATABASE_URL;
  if (external) {
    // Never apply the bench config to the operator's own database: use a throw-away one.
    const name = `switchyard_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    await onServer(external, `CREATE DATABASE "${name}"`);
    cleanups.push(() => onServer(external, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    databaseUrl = withDatabase(external, name);
    where = `database ${name} on the DATABASE_URL server`;
  } else {
    // Imported lazily: the module hooks process signals at import time.
    const { startEmbeddedPostgres } = await import("../support/embedded-postgres");
    const db = await startEmbeddedPostgres({ dataDir, port: 0, database: "switchyard_bench" });
    cleanups.push(() => db.stop());
    databaseUrl = db.url;
    where = `embedded PostgreSQL on 127.0.0.1:${db.port} (data in ${dataDir})`;
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => say(`cleanup: ${String(e)}`));
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));

  try {
    const { migrate } = await import("../../lib/db/migrate");
    const { createPrismaClient } = await import("../../lib/db/client");
    const { applyConfig, parseConfigText } = await import("../../lib/config");
    await migrate(databaseUrl);
    const prisma = createPrismaClient(databaseUrl);
    try {
      const loaded = parseConfigText(benchConfigYaml(mockBase), { fileName: "bench-config.yaml" });
      const summary = await applyConfig(prisma, loaded.document, { actor: "bench" });
      say(`${where}; applied bench config: ${summary.text}`);
    } finally {
      await prisma.$disconnect();
    }
  } catch (error) {
    say(`database setup failed: ${(error as Error).stack ?? String(error)}`);
    await stop(1);
    return;
  }
  writeFileSync(
    readyFile,
    JSON.stringify({
      databaseUrl,
      virtualKey: BENCH_VIRTUAL_KEY,
      provider: BENCH_PROVIDER,
      dataDir,
    }),
  );
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  if (role === "db") {
    const i = rest.indexOf("--ready-file");
    const readyFile = i >= 0 ? rest[i + 1] : undefined;
    if (!readyFile) throw new Error("usage: switchyard-target.ts db --ready-file FILE");
    await runDb(readyFile);
  } else if (role === "gateway") {
    // From source under tsx; the benchmark runs the bundle of the same file (.build/gateway/bench-gateway.js).
    await import("./switchyard-gateway");
  } else {
    throw new Error("usage: switchyard-target.ts db --ready-file FILE | gateway");
  }
}

main().catch((error: unknown) => {
  say(`failed: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
