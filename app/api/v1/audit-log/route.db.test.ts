// GET /api/v1/audit-log (+ /facets) as route handlers on a real database: filters, keyset
// pagination without gaps or repeats (also across equal timestamps), bad input, RBAC.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { GET } from "./route";
import * as facets from "./facets/route";
import * as customers from "../customers/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "audit-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;
const BASE = new Date("2026-04-01T12:00:00.000Z");
const at = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  const rows: { id: string; createdAt: Date; actorLabel: string; action: string; entityType: string; entityId: string; entityName: string }[] = [];
  for (let i = 0; i < 7; i++) {
    rows.push({ id: `a${i}`, createdAt: at(i), actorLabel: i % 2 === 0 ? "alice@example.com" : "admin-token", action: i < 4 ? "create" : "update", entityType: i < 5 ? "team" : "pricing", entityId: `e${i}`, entityName: `name-${i}` });
  }
  // Three rows sharing one timestamp: a page boundary between them must not skip or repeat.
  for (const id of ["t1", "t2", "t3"]) rows.push({ id, createdAt: at(10), actorLabel: "config-apply", action: "delete", entityType: "provider", entityId: id, entityName: id });
  await prisma.auditLog.createMany({ data: rows.map((r) => ({ ...r, before: { n: 1 }, after: undefined })) });
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

function req(path: string, token: string | null = TOKEN): Request {
  return new Request(`http://localhost${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}
type Page = { data?: { id: string; actor: { label: string }; before: unknown; after: unknown }[]; next_cursor?: string | null; error?: { code: string; message: string; issues?: { path: string }[] } };
async function list(query: string, token?: string | null): Promise<{ status: number; body: Page }> {
  const response = await GET(req(`/api/v1/audit-log${query}`, token));
  return { status: response.status, body: (await response.json()) as Page };
}

describe("GET /api/v1/audit-log", () => {
  it("pages newest first through every row exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined = undefined;
    let pages = 0;
    do {
      const { status, body }: { status: number; body: Page } = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      seen.push(...body.data!.map((e) => e.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(["t3", "t2", "t1", "a6", "a5", "a4", "a3", "a2", "a1", "a0"]);
    expect(pages).toBe(5);
  });

  it("filters by actor substring, entity type, action and time range", async () => {
    const byActor = await list("?actor=ALICE");
    expect(byActor.body.data!.map((e) => e.id)).toEqual(["a6", "a4", "a2", "a0"]);
    expect(byActor.body.data![0]).toMatchObject({ actor: { label: "alice@example.com" }, before: { n: 1 }, after: null });
    const combined = await list(`?entity_type=team&action=update&from=${encodeURIComponent(at(0).toISOString())}`);
    expect(combined.body.data!.map((e) => e.id)).toEqual(["a4"]);
    const range = await list(`?from=${encodeURIComponent(at(2).toISOString())}&to=${encodeURIComponent(at(5).toISOString())}`);
    expect(range.body.data!.map((e) => e.id)).toEqual(["a4", "a3", "a2"]);
    expect(range.body.next_cursor).toBeNull();
  });

  it("records real admin changes and lists their facets", async () => {
    expect((await customers.POST(new Request("http://localhost/api/v1/customers", { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ name: "acme" }) }))).status).toBe(201);
    const { body } = await list("?entity_type=customer");
    expect(body.data).toEqual([expect.objectContaining({ action: "create", entity_type: "customer", entity_name: "acme", actor: { user_id: null, label: "admin-token" } })]);
    const f = (await (await facets.GET(req("/api/v1/audit-log/facets"))).json()) as { data: { entity_types: string[]; actions: string[] } };
    expect(f.data).toEqual({ entity_types: ["customer", "pricing", "provider", "team"], actions: ["create", "delete", "update"] });
  });

  it("rejects bad cursors, limits, ranges and unknown parameters with 400", async () => {
    for (const query of ["?cursor=garbage", "?limit=0", "?limit=500", "?from=yesterday", `?from=${encodeURIComponent(at(5).toISOString())}&to=${encodeURIComponent(at(1).toISOString())}`, "?user=alice", "?action=a&action=b"]) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body.error!.code, query).toBe("invalid_request");
    }
  });

  it("is for owners and admins only", async () => {
    expect((await list("", null)).status).toBe(401);
    for (const role of ["viewer", "team_admin", "member"] as const) {
      const user = await prisma.user.create({ data: { email: `${role}@example.com`, role } });
      session = { user: { id: user.id, email: user.email, name: null, role } };
      expect((await list("", null)).status, role).toBe(403);
    }
    const owner = await prisma.user.create({ data: { email: "owner@example.com", role: "owner" } });
    session = { user: { id: owner.id, email: owner.email, name: null, role: "owner" } };
    expect((await list("", null)).status).toBe(200);
    session = null;
  });
});
