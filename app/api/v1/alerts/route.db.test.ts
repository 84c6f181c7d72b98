// GET /api/v1/alerts and POST /api/v1/alerts/:id/acknowledge as route handlers, with the
// admin token, on a real database. getPrisma() caches its client on globalThis at the first
// call, so DATABASE_URL must point at the test database before any handler runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { GET } from "./route";
import { POST } from "./[id]/acknowledge/route";

const TOKEN = "alerts-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;
let budgetA: string;
let budgetB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  budgetA = (await prisma.budget.create({ data: { entityType: "team", entityId: "team-a", window: "1d", limitUsd: "10" } })).id;
  budgetB = (await prisma.budget.create({ data: { entityType: "virtual_key", entityId: "key-b", window: "1M", limitTokens: 1000n } })).id;
  const day = new Date("2026-03-10T00:00:00.000Z");
  const at = (minutes: number) => new Date(day.getTime() + minutes * 60_000);
  await prisma.alert.createMany({
    data: [
      { id: "al-1", budgetId: budgetA, threshold: 80, windowStart: day, usedUsd: "8.1", usedTokens: 10n, triggeredAt: at(10), deliveredAt: at(10) },
      { id: "al-2", budgetId: budgetA, threshold: 95, windowStart: day, usedUsd: "9.6", usedTokens: 12n, triggeredAt: at(20) },
      { id: "al-3", budgetId: budgetB, threshold: 80, windowStart: day, usedTokens: 800n, triggeredAt: at(30), deliveryError: "HTTP 500 (after 5 attempts)" },
    ],
  });
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  process.env.DATABASE_URL = saved.databaseUrl;
  if (saved.adminToken === undefined) delete process.env.SWITCHYARD_ADMIN_TOKEN;
  else process.env.SWITCHYARD_ADMIN_TOKEN = saved.adminToken;
  await db?.drop();
});

function request(path: string, init: { method?: string; token?: string } = {}): NextRequest {
  return new NextRequest(`http://localhost${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.token ?? TOKEN}` },
  });
}

async function list(query = ""): Promise<{ status: number; body: { data?: { id: string }[] } & Record<string, unknown> }> {
  const response = await GET(request(`/api/v1/alerts${query}`));
  return { status: response.status, body: (await response.json()) as { data?: { id: string }[] } };
}

const acknowledge = (id: string, token?: string) =>
  POST(request(`/api/v1/alerts/${id}/acknowledge`, { method: "POST", token }), { params: Promise.resolve({ id }) });

describe("GET /api/v1/alerts", () => {
  it("lists alerts newest first with their budget", async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.data!.map((a) => a.id)).toEqual(["al-3", "al-2", "al-1"]);
    expect(body.data![2]).toEqual({
      id: "al-1",
      budget_id: budgetA,
      threshold_percent: 80,
      window_start: "2026-03-10T00:00:00.000Z",
      used_usd: 8.1,
      used_tokens: 10,
      triggered_at: "2026-03-10T00:10:00.000Z",
      delivered_at: "2026-03-10T00:10:00.000Z",
      delivery_error: null,
      acknowledged_at: null,
      budget: { entity_type: "team", entity_id: "team-a", window: "1d", alignment: "calendar", limit_usd: 10, limit_tokens: null },
    });
    expect(body.data![0]).toMatchObject({ used_usd: null, delivery_error: "HTTP 500 (after 5 attempts)", budget: { limit_tokens: 1000 } });
  });

  it("filters by budget and limits the page", async () => {
    expect((await list(`?budget_id=${budgetA}`)).body.data!.map((a) => a.id)).toEqual(["al-2", "al-1"]);
    expect((await list("?limit=1")).body.data!.map((a) => a.id)).toEqual(["al-3"]);
  });

  it("rejects unknown, repeated and out-of-range parameters with 400", async () => {
    for (const query of ["?foo=1", "?limit=201", "?limit=0", "?acknowledged=yes", `?budget_id=${budgetA}&budget_id=${budgetB}`]) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ error: { type: "invalid_request" } });
    }
  });

  it("answers 401 to a wrong token", async () => {
    const response = await GET(request("/api/v1/alerts", { token: "wrong" }));
    expect(response.status).toBe(401);
  });
});

describe("POST /api/v1/alerts/:id/acknowledge", () => {
  it("acknowledges once, audits once, and filters by acknowledged", async () => {
    const first = await acknowledge("al-2");
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { data: { acknowledged_at: string }; already_acknowledged: boolean };
    expect(firstBody.already_acknowledged).toBe(false);
    expect(firstBody.data.acknowledged_at).toEqual(expect.any(String));

    const second = await acknowledge("al-2");
    const secondBody = (await second.json()) as { data: { acknowledged_at: string }; already_acknowledged: boolean };
    expect(secondBody).toMatchObject({ already_acknowledged: true, data: { acknowledged_at: firstBody.data.acknowledged_at } });

    const audits = await prisma.auditLog.findMany({ where: { entityType: "alert", entityId: "al-2" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "acknowledge", actorLabel: "admin-token", actorUserId: null });

    expect((await list("?acknowledged=true")).body.data!.map((a) => a.id)).toEqual(["al-2"]);
    expect((await list("?acknowledged=false")).body.data!.map((a) => a.id)).toEqual(["al-3", "al-1"]);
  });

  it("answers 404 for an unknown alert and 401 to a wrong token", async () => {
    expect((await acknowledge("no-such-alert")).status).toBe(404);
    expect((await acknowledge("al-1", "wrong")).status).toBe(401);
    expect(await prisma.alert.findUnique({ where: { id: "al-1" }, select: { acknowledgedAt: true } })).toEqual({ acknowledgedAt: null });
  });
});
