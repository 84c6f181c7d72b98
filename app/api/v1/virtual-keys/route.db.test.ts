// The admin REST handlers called directly with a Request, on a real database. getPrisma()
// caches its client on globalThis at the first call, so DATABASE_URL points at the test
// database before any handler runs. There is no Next request scope here, so next-auth's
// getServerSession is replaced by a stub whose session each test sets (signed-in roles).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { hashVirtualKey } from "@/lib/crypto/virtual-key";
import * as keys from "./route";
import * as keyById from "./[id]/route";
import * as rotate from "./[id]/rotate/route";
import * as teams from "../teams/route";
import * as members from "../teams/[id]/members/route";
import * as customers from "../customers/route";
import * as budgets from "../budgets/route";
import * as budgetReset from "../budgets/[id]/reset/route";
import * as budgetHistory from "../budgets/[id]/history/route";
import * as rateLimits from "../rate-limits/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "admin-api-test-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
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

function req(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  return new Request(`http://localhost${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
type Json = { data?: Record<string, unknown> & { id: string }; error?: { code: string; message: string; issues?: unknown[] } };
const json = async (response: Response) => (await response.json()) as Json;

describe("admin REST API", () => {
  it("creates a key, returns the secret once and never again", async () => {
    const created = await keys.POST(req("/api/v1/virtual-keys", { method: "POST", body: { name: "laptop", models: ["*"], tags: ["dev"] } }));
    expect(created.status).toBe(201);
    const body = await json(created);
    const secret = body.data!.secret as string;
    expect(secret).toMatch(/^sk-sy-/);

    const list = await (await keys.GET(req("/api/v1/virtual-keys"))).text();
    const one = await (await keyById.GET(req(`/api/v1/virtual-keys/${body.data!.id}`), params(body.data!.id))).text();
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: body.data!.id } });
    for (const text of [list, one]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(row.keyHash);
      expect(text).not.toContain('"secret"');
    }
    expect(row.keyHash).toBe(hashVirtualKey(secret));
  });

  it("rotates with grace and revokes over HTTP", async () => {
    const { data } = await json(await keys.POST(req("/api/v1/virtual-keys", { method: "POST", body: { name: "ci", models: ["gpt-*"] } })));
    const rotated = await json(await rotate.POST(req(`/api/v1/virtual-keys/${data!.id}/rotate`, { method: "POST", body: { grace_seconds: 60 } }), params(data!.id)));
    expect(rotated.data!.secret).not.toBe(data!.secret);
    expect(rotated.data!.previous_key_expires_at).toEqual(expect.any(String));
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: data!.id } });
    expect(row.previousKeyHash).toBe(hashVirtualKey(data!.secret as string));

    const revoked = await keyById.DELETE(req(`/api/v1/virtual-keys/${data!.id}`, { method: "DELETE" }), params(data!.id));
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).data).toMatchObject({ active: false, revoked_at: expect.any(String) });
  });

  it("rejects unknown fields with 400 naming them", async () => {
    const response = await keys.POST(req("/api/v1/virtual-keys", { method: "POST", body: { name: "x", models: ["*"], budget_usd: 5 } }));
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error).toMatchObject({ code: "invalid_request" });
    expect(error!.message).toContain("budget_usd");
  });

  it("answers 401 without or with a wrong token, and 404 for an unknown id", async () => {
    expect((await keys.GET(req("/api/v1/virtual-keys", { token: null }))).status).toBe(401);
    const wrong = await keys.POST(req("/api/v1/virtual-keys", { method: "POST", token: "nope", body: {} }));
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error).toMatchObject({ code: "unauthenticated" });
    expect((await keyById.GET(req("/api/v1/virtual-keys/nope"), params("nope"))).status).toBe(404);
  });

  it("answers 409 on a duplicate name", async () => {
    const body = { name: "dup-team" };
    expect((await teams.POST(req("/api/v1/teams", { method: "POST", body }))).status).toBe(201);
    const again = await teams.POST(req("/api/v1/teams", { method: "POST", body }));
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: "conflict" });
  });

  it("writes audit rows and notifies config_changed on every mutation", async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on("notification", (n) => payloads.push(`${n.channel} ${n.payload ?? ""}`));
      await listener.query("LISTEN config_changed");
      await listener.query("LISTEN budget_reset");

      const customer = await json(await customers.POST(req("/api/v1/customers", { method: "POST", body: { name: "acme" } })));
      const team = await json(await teams.POST(req("/api/v1/teams", { method: "POST", body: { name: "platform", customer: "acme" } })));
      expect(team.data!.customer).toEqual({ id: customer.data!.id, name: "acme" });
      await prisma.user.create({ data: { email: "dev@example.com" } });
      const member = await members.POST(req(`/api/v1/teams/${team.data!.id}/members`, { method: "POST", body: { user: "dev@example.com", role: "team_admin" } }), params(team.data!.id));
      expect(member.status).toBe(200);
      const budget = await json(
        await budgets.POST(req("/api/v1/budgets", { method: "POST", body: { entity_type: "team", entity_id: team.data!.id, window: "1d", usd: 5 } })),
      );
      expect(budget.data).toMatchObject({ used_usd: 0, percent_used: 0, current_window: { resets_at: expect.any(String) } });
      const limit = await rateLimits.POST(req("/api/v1/rate-limits", { method: "POST", body: { entity_type: "team", entity_id: team.data!.id, requests: 60, window: "1m" } }));
      expect(limit.status).toBe(201);

      const reset = await budgetReset.POST(req(`/api/v1/budgets/${budget.data!.id}/reset`, { method: "POST" }), params(budget.data!.id));
      expect(reset.status).toBe(200);
      await listener.query("SELECT 1");
      expect(payloads.filter((p) => p === 'config_changed {"source":"admin-api"}')).toHaveLength(6);
      expect(payloads).toContain(`budget_reset ${JSON.stringify({ budgetId: budget.data!.id })}`);

      const history = await json(await budgetHistory.GET(req(`/api/v1/budgets/${budget.data!.id}/history`), params(budget.data!.id)));
      expect(history.data).toEqual([expect.objectContaining({ reset_by: "admin-token", used_usd: 0 })]);

      const audits = await prisma.auditLog.findMany({ where: { actorLabel: "admin-token" }, orderBy: { createdAt: "asc" } });
      expect(audits.map((a) => `${a.entityType}:${a.action}`)).toEqual(
        expect.arrayContaining(["customer:create", "team:create", "team:add_member", "budget:create", "rate_limit:create", "budget:reset"]),
      );
    } finally {
      await listener.end();
    }
  });

  it("lets a viewer read but not mutate (403) and a member list only their own keys", async () => {
    const viewer = await prisma.user.create({ data: { email: "viewer@example.com", role: "viewer" } });
    const memberUser = await prisma.user.create({ data: { email: "member@example.com", role: "member" } });
    try {
      session = { user: { id: viewer.id, email: viewer.email, name: null, role: "viewer" } };
      expect((await keys.GET(req("/api/v1/virtual-keys", { token: null }))).status).toBe(200);
      const denied = await keys.POST(req("/api/v1/virtual-keys", { method: "POST", token: null, body: { name: "v", models: ["*"] } }));
      expect(denied.status).toBe(403);
      expect((await json(denied)).error).toMatchObject({ code: "forbidden" });
      expect((await teams.POST(req("/api/v1/teams", { method: "POST", token: null, body: { name: "v-team" } }))).status).toBe(403);

      session = { user: { id: memberUser.id, email: memberUser.email, name: null, role: "member" } };
      const own = await keys.POST(req("/api/v1/virtual-keys", { method: "POST", token: null, body: { name: "member-key", models: ["*"] } }));
      expect(own.status).toBe(201);
      const listed = (await (await keys.GET(req("/api/v1/virtual-keys", { token: null }))).json()) as { data: { name: string }[] };
      expect(listed.data.map((k) => k.name)).toEqual(["member-key"]);
      const other = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "laptop" } });
      expect((await keyById.DELETE(req(`/api/v1/virtual-keys/${other.id}`, { method: "DELETE", token: null }), params(other.id))).status).toBe(404);
    } finally {
      session = null;
    }
  });

  it("filters budgets and rejects unknown query parameters", async () => {
    const ok = await budgets.GET(req("/api/v1/budgets?entity_type=team"));
    expect(ok.status).toBe(200);
    expect((await ok.json()) as { data: unknown[] }).toMatchObject({ data: [expect.objectContaining({ entity_type: "team" })] });
    const bad = await budgets.GET(req("/api/v1/budgets?foo=1"));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.message).toContain("foo");
  });
});
