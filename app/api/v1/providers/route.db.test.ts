// Provider handlers called directly with a Request, on a real database (as in
// virtual-keys/route.db.test.ts): key values are write-only, input is strict, mutations are
// audited and notified, "test connection" calls a real (local, fake) upstream.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { decryptSecret, setMasterKeyForTesting } from "@/lib/crypto/secret-box";
import * as providers from "./route";
import * as providerById from "./[id]/route";
import * as providerKeys from "./[id]/keys/route";
import * as providerKey from "./[id]/keys/[keyId]/route";
import * as testConnection from "./[id]/test/route";
import * as rules from "../routing-rules/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "providers-api-test-token";
const SECRET = "sk-upstream-0123456789abcdef";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;
let upstream: Server;
let upstreamUrl: string;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  // A fake OpenAI-compatible upstream: the right key lists models, any other is a 401 that
  // (like some real proxies) echoes the key it was given.
  upstream = createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    res.setHeader("content-type", "application/json");
    if (req.url !== "/v1/models") {
      res.writeHead(404).end(JSON.stringify({ error: "not found" }));
    } else if (req.headers.authorization === `Bearer ${SECRET}`) {
      res.writeHead(200).end(JSON.stringify({ object: "list", data: [{ id: "gpt-test" }] }));
    } else {
      res.writeHead(401).end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization ?? ""}` } }));
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  process.env.DATABASE_URL = saved.databaseUrl;
  if (saved.adminToken === undefined) delete process.env.SWITCHYARD_ADMIN_TOKEN;
  else process.env.SWITCHYARD_ADMIN_TOKEN = saved.adminToken;
  setMasterKeyForTesting(undefined);
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
const keyParams = (id: string, keyId: string) => ({ params: Promise.resolve({ id, keyId }) });
type Json = { data?: Record<string, unknown> & { id: string }; error?: { code: string; message: string; issues?: { path: string }[] } };
const json = async (response: Response) => (await response.json()) as Json;

async function createOpenAiProvider(name: string, keyValue = SECRET): Promise<string> {
  const created = await providers.POST(
    req("/api/v1/providers", {
      method: "POST",
      body: { name, type: "openai-compatible", base_url: upstreamUrl, keys: [{ name: "main", value: keyValue }] },
    }),
  );
  expect(created.status).toBe(201);
  return (await json(created)).data!.id;
}

describe("providers API", () => {
  it("stores key values encrypted and never answers them", async () => {
    const created = await providers.POST(
      req("/api/v1/providers", {
        method: "POST",
        body: {
          name: "openai",
          type: "openai",
          base_url: "https://api.openai.com/v1",
          request_types: ["chat", "chat_stream"],
          headers: { "x-org": "org-secret-header" },
          settings: { timeouts: { connect_ms: 2000, first_byte_ms: 30000, stream_idle_ms: 60000 } },
          keys: [{ name: "main", value: SECRET, weight: 2 }],
        },
      }),
    );
    expect(created.status).toBe(201);
    const { data } = await json(created);
    expect(data).toMatchObject({
      name: "openai",
      header_names: ["x-org"],
      settings: { timeouts: { connect_ms: 2000, first_byte_ms: 30000, stream_idle_ms: 60000 } },
      keys: [{ name: "main", secret_hint: "cdef", weight: 2, enabled: true }],
    });

    const added = await providerKeys.POST(req(`/api/v1/providers/${data!.id}/keys`, { method: "POST", body: { name: "backup", value: "sk-backup-secret-9999" } }), params(data!.id));
    expect(added.status).toBe(201);
    const backup = (await json(added)).data!;

    // Stored in the shape the gateway's timeout reader expects.
    expect((await prisma.provider.findUniqueOrThrow({ where: { id: data!.id } })).settings).toEqual({
      timeouts: { connectMs: 2000, firstByteMs: 30000, streamIdleMs: 60000 },
    });

    const rows = await prisma.providerKey.findMany({ where: { providerId: data!.id }, orderBy: { name: "asc" } });
    expect(rows.map((r) => r.secretCiphertext)).not.toContain(SECRET);
    expect(decryptSecret(rows.find((r) => r.name === "main")!.secretCiphertext)).toBe(SECRET);

    const texts = [
      JSON.stringify(data),
      await (await providers.GET(req("/api/v1/providers"))).text(),
      await (await providerById.GET(req(`/api/v1/providers/${data!.id}`), params(data!.id))).text(),
      await (await providerKeys.GET(req(`/api/v1/providers/${data!.id}/keys`), params(data!.id))).text(),
      await (await providerKey.PATCH(req(`/api/v1/providers/${data!.id}/keys/${backup.id}`, { method: "PATCH", body: { value: "sk-rotated-secret-7777", weight: 3 } }), keyParams(data!.id, backup.id))).text(),
      JSON.stringify(await prisma.auditLog.findMany()),
    ];
    for (const text of texts) {
      for (const secret of [SECRET, "sk-backup-secret-9999", "sk-rotated-secret-7777", "org-secret-header", ...rows.map((r) => r.secretCiphertext)]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain("ciphertext");
    }
    const rotated = await prisma.providerKey.findUniqueOrThrow({ where: { id: backup.id } });
    expect(decryptSecret(rotated.secretCiphertext)).toBe("sk-rotated-secret-7777");
    expect(rotated).toMatchObject({ weight: 3, secretHint: "7777" });
  });

  it("rejects unknown fields, unknown types and a provider rename with 400", async () => {
    const unknown = await providers.POST(req("/api/v1/providers", { method: "POST", body: { name: "x", type: "openai", api_key: "sk" } }));
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error!.message).toContain("api_key");

    const badType = await providers.POST(req("/api/v1/providers", { method: "POST", body: { name: "x", type: "openia" } }));
    expect(badType.status).toBe(400);
    expect(JSON.stringify(await badType.json())).toContain("unknown provider type");

    const badSettings = await providers.POST(req("/api/v1/providers", { method: "POST", body: { name: "x", type: "openai", settings: { timeouts: { connect: 5 } } } }));
    expect(badSettings.status).toBe(400);
    expect((await json(badSettings)).error!.message).toContain("settings.timeouts.connect");

    const id = (await prisma.provider.findUniqueOrThrow({ where: { name: "openai" } })).id;
    const rename = await providerById.PATCH(req(`/api/v1/providers/${id}`, { method: "PATCH", body: { name: "other" } }), params(id));
    expect(rename.status).toBe(400);
  });

  it("updates, audits and notifies config_changed; refuses to delete a provider a rule uses", async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on("notification", (n) => payloads.push(n.channel));
      await listener.query("LISTEN config_changed");

      const id = await createOpenAiProvider("mock");
      const patched = await providerById.PATCH(req(`/api/v1/providers/${id}`, { method: "PATCH", body: { enabled: false, base_url: null } }), params(id));
      expect((await json(patched)).data).toMatchObject({ enabled: false, base_url: null });
      const rule = await rules.POST(req("/api/v1/routing-rules", { method: "POST", body: { name: "uses-mock", targets: [{ provider: "mock", model: "m" }] } }));
      expect(rule.status).toBe(201);

      const refused = await providerById.DELETE(req(`/api/v1/providers/${id}`, { method: "DELETE" }), params(id));
      expect(refused.status).toBe(409);
      expect((await json(refused)).error!.message).toContain("uses-mock");
      await listener.query("SELECT 1");
      expect(payloads).toHaveLength(3);

      const audits = await prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { createdAt: "asc" } });
      expect(audits.map((a) => `${a.entityType}:${a.action}`)).toEqual(["provider:create", "provider:update"]);
      expect(JSON.stringify(audits)).not.toContain(SECRET);
    } finally {
      await listener.end();
    }
  });

  it("tests the connection against the upstream: ok, and 401 with the key redacted", async () => {
    const good = await createOpenAiProvider("upstream-good");
    const ok = await json(await testConnection.POST(req(`/api/v1/providers/${good}/test`, { method: "POST" }), params(good)));
    expect(ok.data).toMatchObject({ ok: true, status: 200, key: "main", latency_ms: expect.any(Number) });
    expect(ok.data!.body_excerpt).toContain("gpt-test");
    expect(seenAuth).toContain(`Bearer ${SECRET}`);

    const bad = await createOpenAiProvider("upstream-bad", "sk-wrong-key-00000000");
    const denied = await testConnection.POST(req(`/api/v1/providers/${bad}/test`, { method: "POST" }), params(bad));
    expect(denied.status).toBe(200);
    const text = await denied.text();
    expect(text).not.toContain("sk-wrong-key-00000000");
    expect(JSON.parse(text)).toMatchObject({ data: { ok: false, status: 401, body_excerpt: expect.stringContaining("[redacted]") } });
  });

  it("answers an unreachable upstream as ok: false with the reason", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const created = await json(
      await providers.POST(req("/api/v1/providers", { method: "POST", body: { name: "down", type: "vllm", base_url: `http://127.0.0.1:${port}/v1` } })),
    );
    const answer = await json(await testConnection.POST(req(`/api/v1/providers/${created.data!.id}/test`, { method: "POST" }), params(created.data!.id)));
    expect(answer.data).toMatchObject({ ok: false, status: null, key: null, error: expect.stringContaining("ECONNREFUSED") });
  });

  it("lets a viewer read providers but not change or test them", async () => {
    const viewer = await prisma.user.create({ data: { email: "viewer@example.com", role: "viewer" } });
    const id = (await prisma.provider.findUniqueOrThrow({ where: { name: "openai" } })).id;
    try {
      session = { user: { id: viewer.id, email: viewer.email, name: null, role: "viewer" } };
      expect((await providers.GET(req("/api/v1/providers", { token: null }))).status).toBe(200);
      expect((await providers.POST(req("/api/v1/providers", { method: "POST", token: null, body: { name: "v", type: "openai" } }))).status).toBe(403);
      expect((await providerById.DELETE(req(`/api/v1/providers/${id}`, { method: "DELETE", token: null }), params(id))).status).toBe(403);
      expect((await testConnection.POST(req(`/api/v1/providers/${id}/test`, { method: "POST", token: null }), params(id))).status).toBe(403);
    } finally {
      session = null;
    }
  });
});
