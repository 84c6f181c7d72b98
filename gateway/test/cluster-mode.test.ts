// node:cluster mode (issue 9): GATEWAY_WORKERS=2 with Redis serves one port from two worker
// processes, logs every request, and drains both on SIGTERM to the primary. Without Redis an
// explicit GATEWAY_WORKERS > 1 refuses to start.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMasterKeyForTesting } from "../../lib/crypto/secret-box";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { freePort } from "../../scripts/support/embedded-postgres";
import { waitForHttp } from "../../scripts/support/wait-for-http";
import { workerPlanFromEnv } from "../gateway-workers";
import { startMockOpenAIUpstream, type MockUpstream } from "../testing/mock-openai-upstream";
import { insertProvider, insertVirtualKey } from "./support/seed";
import { waitFor } from "./support/wait-for";

const root = fileURLToPath(new URL("../..", import.meta.url));
const redisUrl = process.env.REDIS_URL;
const UPSTREAM_SECRET = "sk-upstream-cluster-0001";

function startGatewayProcess(env: Record<string, string>): { process: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "gateway", "main.ts")], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { process: child, output, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

describe("GATEWAY_WORKERS", () => {
  it("plans workers from the environment", () => {
    expect(workerPlanFromEnv({}, 4).workers).toBe(1);
    expect(workerPlanFromEnv({ REDIS_URL: "redis://x" }, 4).workers).toBe(4);
    expect(workerPlanFromEnv({ REDIS_URL: "redis://x", GATEWAY_WORKERS: "2" }, 4).workers).toBe(2);
    expect(workerPlanFromEnv({ GATEWAY_WORKERS: "1" }, 4).workers).toBe(1);
    expect(() => workerPlanFromEnv({ GATEWAY_WORKERS: "3" }, 4)).toThrow(/needs REDIS_URL/);
    expect(() => workerPlanFromEnv({ GATEWAY_WORKERS: "two", REDIS_URL: "redis://x" }, 4)).toThrow(/GATEWAY_WORKERS/);
  });

  it("refuses GATEWAY_WORKERS=2 without REDIS_URL, naming the reason", async () => {
    const gateway = startGatewayProcess({ DATABASE_URL: "postgresql://unused@127.0.0.1:1/x", REDIS_URL: "", GATEWAY_WORKERS: "2" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output.join("")).toContain("GATEWAY_WORKERS=2 needs REDIS_URL");
  });
});

describe.skipIf(!redisUrl)("two cluster workers sharing Redis", () => {
  let database: TestDatabase;
  let db: pg.Pool;
  let upstream: MockUpstream;
  let secret: string;

  beforeAll(async () => {
    const masterKey = randomBytes(32);
    setMasterKeyForTesting(masterKey);
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    upstream = await startMockOpenAIUpstream({ apiKey: UPSTREAM_SECRET });
    await insertProvider(db, { name: "clustered", type: "openai", baseUrl: upstream.url, models: ["gpt-mock-1"], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
    secret = (await insertVirtualKey(db, { name: "cluster" })).secret;
    process.env.SWITCHYARD_CLUSTER_TEST_MASTER_KEY = masterKey.toString("hex");
  }, 60_000);

  afterAll(async () => {
    await upstream?.close();
    await db?.end();
    await database?.drop();
  });

  it("serves one port from two workers and drains both on SIGTERM", async () => {
    const port = await freePort();
    const gateway = startGatewayProcess({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      GATEWAY_WORKERS: "2",
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: "127.0.0.1",
      SWITCHYARD_MASTER_KEY: process.env.SWITCHYARD_CLUSTER_TEST_MASTER_KEY!,
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/ready`, 60_000);
      // Both workers listening (each prints its line), then requests spread over them.
      await waitFor(() => Promise.resolve(gateway.output.join("").match(/\(worker \d+\)/g)?.length ?? 0), (n) => n >= 2, { what: "two workers listening", timeoutMs: 60_000 });
      const pids = new Set<number>();
      for (let i = 0; i < 40; i++) {
        // A fresh connection each time, so the primary's round robin hands it to the next worker.
        const response = await fetch(`${url}/health`, { headers: { connection: "close" } });
        pids.add(((await response.json()) as { pid: number }).pid);
      }
      expect(pids.size).toBe(2);
      const statuses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          fetch(`${url}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", connection: "close" },
            body: JSON.stringify({ model: "clustered/gpt-mock-1", messages: [{ role: "user", content: `hello ${i}` }] }),
          }).then(async (r) => (await r.text(), r.status)),
        ),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      gateway.process.kill("SIGTERM");
    }
    expect(await gateway.exited, gateway.output.join("")).toBe(0);
    const logged = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM request_logs");
    expect(logged.rows[0]?.n).toBe(30);
  }, 120_000);
});
