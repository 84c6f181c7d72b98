// GET / POST / DELETE /api/v1/pricing as route handlers on a real database: upsert by model,
// audit rows, the config_changed NOTIFY the gateways reload on, validation and RBAC.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import * as pricing from "./route";
import * as pricingById from "./[id]/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "pricing-test-admin-token";
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
  return new Request(`http://localhost${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
type Json = { data?: Record<string, unknown> & { id: string }; error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
const json = async (response: Response) => (await response.json()) as Json;
const post = (body: unknown, token?: string | null) => pricing.POST(req("/api/v1/pricing", { method: "POST", body, token }));

describe("/api/v1/pricing", () => {
  it("creates, replaces by model, lists and deletes overrides, each audited and notified", async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on("notification", (n) => payloads.push(n.channel));
      await listener.query("LISTEN config_changed");

      const created = await post({ model: "mock/gpt-*", input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.125 });
      expect(created.status).toBe(201);
      const first = (await json(created)).data!;
      expect(first).toMatchObject({ model: "mock/gpt-*", input_per_mtok: 1.25, output_per_mtok: 10, cache_read_per_mtok: 0.125, cache_write_per_mtok: null, reasoning_per_mtok: null });

      // Same model again: the row is replaced (200), and an omitted optional price is unset.
      const replaced = await post({ model: "mock/gpt-*", input_per_mtok: 2, output_per_mtok: 8 });
      expect(replaced.status).toBe(200);
      expect((await json(replaced)).data).toMatchObject({ id: first.id, input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: null });

      expect((await post({ model: "local/llama", input_per_mtok: 0, output_per_mtok: 0 })).status).toBe(201);
      const list = await json(await pricing.GET(req("/api/v1/pricing")));
      expect((list.data as unknown as { model: string }[]).map((p) => p.model)).toEqual(["local/llama", "mock/gpt-*"]);
      const stored = await prisma.modelPricing.findUniqueOrThrow({ where: { model: "mock/gpt-*" } });
      expect(stored.inputPerMTok.toString()).toBe("2");

      const deleted = await pricingById.DELETE(req(`/api/v1/pricing/${first.id}`, { method: "DELETE" }), params(first.id));
      expect(deleted.status).toBe(200);
      expect(await prisma.modelPricing.findUnique({ where: { model: "mock/gpt-*" } })).toBeNull();

      await listener.query("SELECT 1");
      expect(payloads.filter((p) => p === "config_changed")).toHaveLength(4);
      const audits = await prisma.auditLog.findMany({ where: { entityType: "pricing" }, orderBy: { createdAt: "asc" } });
      expect(audits.map((a) => `${a.action}:${a.entityName}`)).toEqual(["create:mock/gpt-*", "update:mock/gpt-*", "create:local/llama", "delete:mock/gpt-*"]);
      expect(audits[1]!.before).toMatchObject({ input_per_mtok: 1.25 });
      expect(audits[1]!.after).toMatchObject({ input_per_mtok: 2 });
    } finally {
      await listener.end();
    }
  });

  it("rejects bad prices and unknown fields with 400 naming the field", async () => {
    const negative = await post({ model: "x", input_per_mtok: -1, output_per_mtok: 1 });
    expect(negative.status).toBe(400);
    expect((await json(negative)).error!.issues).toEqual([expect.objectContaining({ path: "input_per_mtok" })]);
    const unknown = await post({ model: "x", input_per_mtok: 1, output_per_mtok: 1, currency: "EUR" });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error!.message).toContain("currency");
    const missing = await post({ model: "", input_per_mtok: 1 });
    expect(((await json(missing)).error!.issues ?? []).map((i) => i.path).sort()).toEqual(["model", "output_per_mtok"]);
  });

  it("answers 404 for an unknown id, 401 without credentials and 403 to roles that may not write", async () => {
    expect((await pricingById.DELETE(req("/api/v1/pricing/nope", { method: "DELETE" }), params("nope"))).status).toBe(404);
    expect((await pricing.GET(req("/api/v1/pricing", { token: null }))).status).toBe(401);
    const viewer = await prisma.user.create({ data: { email: "viewer@example.com", role: "viewer" } });
    session = { user: { id: viewer.id, email: viewer.email, name: null, role: "viewer" } };
    try {
      // pricing:read is a scoped read every role has; writing is for owners and admins.
      expect((await pricing.GET(req("/api/v1/pricing", { token: null }))).status).toBe(200);
      const refused = await post({ model: "y", input_per_mtok: 1, output_per_mtok: 1 }, null);
      expect(refused.status).toBe(403);
      expect(await prisma.modelPricing.findUnique({ where: { model: "y" } })).toBeNull();
    } finally {
      session = null;
    }
  });
});
