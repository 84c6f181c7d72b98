// GET / PUT /api/v1/settings as route handlers on a real database: stored rows, resets,
// the write-only webhook secret (never in a response or the audit log), validation, RBAC.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { GET, PUT } from "./route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "settings-test-admin-token";
const SECRET = "whsec-very-secret-value-1234";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  // A setting this API does not manage: it must be neither shown nor touched.
  await prisma.setting.create({ data: { key: "model_aliases", value: { fast: "mock/gpt" } } });
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

function req(method: string, body?: unknown, token: string | null = TOKEN): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return new Request("http://localhost/api/v1/settings", { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
type Json = { data?: Record<string, unknown>; error?: { code: string; message: string; issues?: { path: string }[] } };

describe("/api/v1/settings", () => {
  it("answers defaults, stores updates as settings rows and never returns the secret", async () => {
    const empty = (await (await GET(req("GET"))).json()) as Json;
    expect(empty.data).toEqual({
      log_retention_days: null,
      body_capture_default: null,
      cache_default_ttl_seconds: null,
      cache_similarity_threshold: null,
      alert_webhook_url: null,
      alert_webhook_secret_set: false,
      updated_at: null,
    });

    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const channels: string[] = [];
    listener.on("notification", (n) => channels.push(n.channel));
    await listener.query("LISTEN config_changed");
    try {
      const put = await PUT(
        req("PUT", { log_retention_days: 30, body_capture_default: true, cache_default_ttl_seconds: 600, cache_similarity_threshold: 0.92, alert_webhook_url: "https://hooks.example.com/sy", alert_webhook_secret: SECRET }),
      );
      expect(put.status).toBe(200);
      const text = await put.text();
      expect(text).not.toContain(SECRET);
      expect((JSON.parse(text) as Json).data).toMatchObject({ log_retention_days: 30, body_capture_default: true, cache_similarity_threshold: 0.92, alert_webhook_url: "https://hooks.example.com/sy", alert_webhook_secret_set: true });
      await listener.query("SELECT 1");
      expect(channels).toEqual(["config_changed"]);
    } finally {
      await listener.end();
    }

    // The gateway reads the webhook as JSON strings under these keys (webhook-config.ts).
    const rows = await prisma.setting.findMany({ orderBy: { key: "asc" } });
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      alert_webhook_secret: SECRET,
      alert_webhook_url: "https://hooks.example.com/sy",
      body_capture_default: true,
      cache_default_ttl_seconds: 600,
      cache_similarity_threshold: 0.92,
      log_retention_days: 30,
      model_aliases: { fast: "mock/gpt" },
    });
    const got = await (await GET(req("GET"))).text();
    expect(got).not.toContain(SECRET);
    expect(got).not.toContain("model_aliases");

    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityType: "settings" } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(SECRET);
    expect(audit.after).toMatchObject({ log_retention_days: 30, alert_webhook_secret: "changed" });
  });

  it("leaves absent fields alone and resets null ones", async () => {
    const put = (await (await PUT(req("PUT", { log_retention_days: null, alert_webhook_secret: null }))).json()) as Json;
    expect(put.data).toMatchObject({ log_retention_days: null, cache_default_ttl_seconds: 600, alert_webhook_url: "https://hooks.example.com/sy", alert_webhook_secret_set: false });
    expect(await prisma.setting.findUnique({ where: { key: "log_retention_days" } })).toBeNull();
    expect(await prisma.setting.findUnique({ where: { key: "alert_webhook_secret" } })).toBeNull();
  });

  it("rejects invalid values and unknown fields with 400 naming them", async () => {
    const bad = await PUT(req("PUT", { log_retention_days: 0, alert_webhook_url: "not a url" }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error!.issues!.map((i) => i.path).sort()).toEqual(["alert_webhook_url", "log_retention_days"]);
    const unknown = await PUT(req("PUT", { retention_days: 5 }));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).error!.message).toContain("retention_days");
    expect((await prisma.setting.findUnique({ where: { key: "cache_default_ttl_seconds" } }))?.value).toBe(600);
  });

  it("is for owners and admins only", async () => {
    expect((await GET(req("GET", undefined, null))).status).toBe(401);
    const viewer = await prisma.user.create({ data: { email: "viewer@example.com", role: "viewer" } });
    session = { user: { id: viewer.id, email: viewer.email, name: null, role: "viewer" } };
    try {
      expect((await GET(req("GET", undefined, null))).status).toBe(403);
      expect((await PUT(req("PUT", { log_retention_days: 7 }, null))).status).toBe(403);
    } finally {
      session = null;
    }
  });
});
