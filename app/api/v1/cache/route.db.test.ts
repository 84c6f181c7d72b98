// GET/DELETE /api/v1/cache and DELETE /api/v1/cache/entries/:id as route handlers on a real
// database: stats from the request log, invalidation as a NOTIFY the gateways listen to.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { CACHE_INVALIDATE_CHANNEL } from "@/lib/validation/cache";
import { DELETE as deleteEntry } from "./entries/[id]/route";
import { DELETE, GET } from "./route";

const TOKEN = "cache-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let listener: pg.Client;
const notifications: string[] = [];

async function insertLog(cache: string, namespace: string | null, savedUsd: number | null): Promise<void> {
  await listener.query(
    `INSERT INTO request_logs (id, created_at, client_api, request_type, status, latency_ms, cache, cache_saved_usd, metadata)
     VALUES ($1::uuid, now(), 'openai_chat', 'chat', 200, 3, $2, $3, $4::jsonb)`,
    [randomUUID(), cache, savedUsd, JSON.stringify(namespace === null ? {} : { cacheNamespace: namespace })],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on("notification", (message) => {
    if (message.channel === CACHE_INVALIDATE_CHANNEL) notifications.push(message.payload ?? "");
  });
  await listener.query(`LISTEN ${CACHE_INVALIDATE_CHANNEL}`);
  await insertLog("hit-exact", "team:a", 0.002);
  await insertLog("hit-semantic", "team:a", 0.001);
  await insertLog("miss", "team:a", null);
  await insertLog("miss", "team:b/project", null);
  await insertLog("none", null, null);
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: { $disconnect(): Promise<void> } };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await listener?.end();
  process.env.DATABASE_URL = saved.databaseUrl;
  if (saved.adminToken === undefined) delete process.env.SWITCHYARD_ADMIN_TOKEN;
  else process.env.SWITCHYARD_ADMIN_TOKEN = saved.adminToken;
  await db?.drop();
});

function request(path: string, method = "GET"): NextRequest {
  return new NextRequest(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
}

async function waitForNotifications(count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (notifications.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${JSON.stringify(notifications)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("/api/v1/cache", () => {
  it("reports hits, misses and savings per namespace", async () => {
    const response = await GET(request("/api/v1/cache?hours=24"));
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { shared_vectors: boolean; namespaces: Array<Record<string, unknown>>; totals: Record<string, number> } };
    expect(data.namespaces).toEqual([
      expect.objectContaining({ namespace: "team:a", hits_exact: 1, hits_semantic: 1, misses: 1, saved_usd: 0.003 }),
      expect.objectContaining({ namespace: "team:b/project", hits_exact: 0, misses: 1, saved_usd: 0 }),
    ]);
    expect(data.totals).toEqual({ hits: 2, misses: 2, saved_usd: 0.003 });
  });

  it("clears a namespace by notifying the gateways, and audits it", async () => {
    const response = await DELETE(request("/api/v1/cache?namespace=team:a", "DELETE"));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { notified: boolean } }).data.notified).toBe(true);
    await waitForNotifications(1);
    expect(JSON.parse(notifications[0] ?? "")).toEqual({ namespace: "team:a" });
    const audit = await listener.query(`SELECT action, entity_id FROM audit_logs WHERE entity_type = 'cache'`);
    expect(audit.rows).toEqual([{ action: "cache.invalidate", entity_id: "team:a" }]);
  });

  it("deletes one entry by id and rejects ids that are not cache entry ids", async () => {
    const id = "a".repeat(64);
    const ok = await deleteEntry(request(`/api/v1/cache/entries/${id}`, "DELETE"), { params: Promise.resolve({ id }) });
    expect(ok.status).toBe(200);
    await waitForNotifications(2);
    expect(JSON.parse(notifications[1] ?? "")).toEqual({ entryId: id });
    const bad = await deleteEntry(request("/api/v1/cache/entries/nope", "DELETE"), { params: Promise.resolve({ id: "nope" }) });
    expect(bad.status).toBe(400);
  });

  // (Anonymous callers fall through to the next-auth session lookup, which needs a Next
  // request scope; the 401 path is handle-admin's, covered by the other admin routes' tests.)
  it("rejects unknown or missing query fields with 400", async () => {
    expect((await GET(request("/api/v1/cache?hours=24&verbose=1"))).status).toBe(400);
    expect((await DELETE(request("/api/v1/cache", "DELETE"))).status).toBe(400);
    expect((await DELETE(request("/api/v1/cache?namespace=has%20space", "DELETE"))).status).toBe(400);
    expect(notifications).toHaveLength(2);
  });
});
