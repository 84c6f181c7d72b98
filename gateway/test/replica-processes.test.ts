// Two real gateway PROCESSES (`npm run gateway`, as extra replicas are run) sharing one
// Redis and one database (issue 4 "Done means"): a $0.50 key budget and a 60 requests/min
// key limit must hold across both, and what each replica persisted of the shared counter
// must equal the sum of the key's log rows.
//
// Overshoot bound: settled spend ≤ budget + Σ over requests in flight at the last successful
// reservation of max(0, actual − estimate). Every request here sets max_tokens and the
// input estimate (chars/4) is above what the mock counts, so estimates are upper bounds and
// the bound is the budget itself.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMasterKeyForTesting } from "../../lib/crypto/secret-box";
import { usdToNano } from "../../lib/pricing/usd-units";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { startMockOpenAIUpstream, type MockUpstream } from "../testing/mock-openai-upstream";
import { freePort } from "../../scripts/support/embedded-postgres";
import { waitForHttp } from "../../scripts/support/wait-for-http";
import { insertBudget, insertRateLimit, loggedCost } from "./support/governance-seed";
import { insertPrice, insertProvider, insertTeam, insertVirtualKey } from "./support/seed";
import { waitFor } from "./support/wait-for";

const redisUrl = process.env.REDIS_URL;
const root = fileURLToPath(new URL("../..", import.meta.url));
const UPSTREAM_SECRET = "sk-upstream-replicas-0001";
const MODEL = "replica-mock/gpt-mock-1";

let database: TestDatabase;
let db: pg.Pool;
let upstream: MockUpstream;
let budgetKey: { id: string; secret: string };
let budgetId: string;
let limitedKey: { id: string; secret: string };
const replicas: Array<{ process: ChildProcess; url: string; output: string[] }> = [];

if (!redisUrl) console.warn("replica-processes.test.ts skipped: REDIS_URL is not set (CI sets it)");

function startReplica(port: number, masterKeyHex: string): { process: ChildProcess; url: string; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "gateway", "main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      // One process per replica: this test is about replicas (cluster mode has its own).
      GATEWAY_WORKERS: "1",
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: "127.0.0.1",
      SWITCHYARD_MASTER_KEY: masterKeyHex,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { process: child, url: `http://127.0.0.1:${port}`, output };
}

function stopReplica(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

async function chat(url: string, key: string, i: number): Promise<{ status: number; retryAfter: string | null }> {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `request ${i}` }], max_tokens: 10 });
    return { status: 200, retryAfter: null };
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status ?? 0, retryAfter: error.headers?.get("retry-after") ?? null };
    return { status: -1, retryAfter: null };
  }
}

describe.skipIf(!redisUrl)("two gateway processes sharing Redis", () => {
  beforeAll(async () => {
    const masterKey = randomBytes(32);
    setMasterKeyForTesting(masterKey);
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 3 });
    upstream = await startMockOpenAIUpstream({ apiKey: UPSTREAM_SECRET });
    await insertProvider(db, { name: "replica-mock", type: "openai", baseUrl: upstream.url, models: ["gpt-mock-1"], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
    await insertPrice(db, "replica-mock/*", 1000, 2000);
    const { teamId } = await insertTeam(db, "replicas");
    budgetKey = await insertVirtualKey(db, { name: "budgeted", teamId });
    budgetId = await insertBudget(db, { entityType: "virtual_key", entityId: budgetKey.id, window: "1d", usd: 0.5 });
    limitedKey = await insertVirtualKey(db, { name: "rate-limited", teamId });
    await insertRateLimit(db, { entityType: "virtual_key", entityId: limitedKey.id, window: "1m", requests: 60 });

    const ports = [await freePort(), await freePort()];
    for (const port of ports) replicas.push(startReplica(port, masterKey.toString("hex")));
    await Promise.all(
      replicas.map((replica) =>
        waitForHttp(`${replica.url}/ready`, 60_000).catch((error: unknown) => {
          throw new Error(`replica did not start: ${(error as Error).message}\n${replica.output.join("")}`);
        }),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => stopReplica(replica.process)));
    await upstream?.close();
    await db?.end();
    await database?.drop();
  });

  it("holds a $0.50 budget under 200 concurrent requests over both processes", async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(replicas[i % 2]!.url, budgetKey.secret, i)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);

    const logged = await waitFor(() => loggedCost(db, budgetKey.id), (c) => c.rows >= 200, { what: "200 log rows", timeoutMs: 20_000 });
    expect(usdToNano(Number(logged.total))).toBeLessThanOrEqual(usdToNano(0.5));
  });

  it("admits exactly 60 of 150 requests per minute across both processes, with retry-after on the rest", async () => {
    // A burst that straddles a minute boundary would measure two windows; start clear of one.
    const secondsIntoMinute = new Date().getUTCSeconds();
    if (secondsIntoMinute > 45) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => chat(replicas[i % 2]!.url, limitedKey.secret, i)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(60);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(90);
    for (const r of limited) expect(Number(r.retryAfter)).toBeGreaterThan(0);
  }, 60_000);

  it("persists the shared counter: each replica's budget period equals the key's logged spend", async () => {
    // SIGTERM drains each replica, which flushes its logs and budget periods.
    const codes = await Promise.all(replicas.map((replica) => stopReplica(replica.process)));
    expect(codes).toEqual([0, 0]);
    const logged = await loggedCost(db, budgetKey.id);
    const { rows } = await db.query<{ used_usd: string }>(`SELECT used_usd::text FROM budget_periods WHERE budget_id = $1`, [budgetId]);
    expect(rows).toHaveLength(1);
    expect(usdToNano(Number(rows[0]!.used_usd))).toBe(usdToNano(Number(logged.total)));
  });
});
