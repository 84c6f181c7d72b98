// Routing-rule handlers and the explain proxy, called directly with a Request on a real
// database: CEL errors come back with their position, targets must name real providers,
// reorder sets priorities, and explain reaches a (fake) gateway with a verifiable token.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { setMasterKeyForTesting } from "@/lib/crypto/secret-box";
import { verifyInternalToken, type InternalTokenClaims } from "@/lib/internal-auth/internal-token";
import { loadSigningKey } from "@/lib/internal-auth/signing-key";
import * as rules from "./route";
import * as ruleById from "./[id]/route";
import * as reorder from "./reorder/route";
import * as explain from "../routing/explain/route";
import * as providers from "../providers/route";
import * as teams from "../teams/route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "routing-api-test-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN, gatewayUrl: process.env.GATEWAY_URL };
let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  for (const name of ["mistral", "local-llama"]) {
    const response = await providers.POST(req("/api/v1/providers", { method: "POST", body: { name, type: "openai-compatible", base_url: "http://127.0.0.1:9/v1", keys: [{ name: "main", value: "unused-secret" }] } }));
    expect(response.status).toBe(201);
  }
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  for (const [name, value] of [["DATABASE_URL", saved.databaseUrl], ["SWITCHYARD_ADMIN_TOKEN", saved.adminToken], ["GATEWAY_URL", saved.gatewayUrl]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
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
type ErrorBody = { code: string; message: string; issues?: { path: string; message: string }[]; position?: { start: number; end: number }; excerpt?: string };
type Json = { data?: Record<string, unknown> & { id: string }; error?: ErrorBody };
const json = async (response: Response) => (await response.json()) as Json;
const post = (body: unknown) => rules.POST(req("/api/v1/routing-rules", { method: "POST", body }));

const RULE = {
  name: "claude-to-devstral",
  condition: 'model.startsWith("claude-")',
  targets: [{ provider: "mistral", model: "devstral-2512", weight: 70 }, { provider: "local-llama", model: "qwen-coder", weight: 30, key: "main" }],
  fallbacks: [{ provider: "local-llama", model: "qwen-coder" }],
  fallback_on: ["timeout", "rate_limited", "server_error"],
  retry: { max_attempts: 3, base_delay_ms: 100 },
};

describe("routing rules API", () => {
  it("creates, reads, updates and deletes a rule; retry is stored as the gateway reads it", async () => {
    const created = await post(RULE);
    expect(created.status).toBe(201);
    const { data } = await json(created);
    expect(data).toMatchObject({
      scope: "global",
      scope_id: null,
      priority: 0,
      targets: [
        { provider: "mistral", model: "devstral-2512", weight: 70, key: null },
        { provider: "local-llama", model: "qwen-coder", weight: 30, key: "main" },
      ],
      fallbacks: [{ provider: "local-llama", model: "qwen-coder", key: null }],
      fallback_on: ["timeout", "rate_limited", "server_error"],
      retry: { max_attempts: 3, base_delay_ms: 100 },
    });
    const row = await prisma.routingRule.findUniqueOrThrow({ where: { id: data!.id } });
    expect(row.retry).toEqual({ maxAttempts: 3, baseDelayMs: 100 });

    const patched = await json(
      await ruleById.PATCH(req(`/api/v1/routing-rules/${data!.id}`, { method: "PATCH", body: { enabled: false, retry: null, fallbacks: [] } }), params(data!.id)),
    );
    expect(patched.data).toMatchObject({ enabled: false, retry: null, fallbacks: [], targets: [{ provider: "mistral" }, { provider: "local-llama" }] });
    expect((await json(await ruleById.GET(req(`/api/v1/routing-rules/${data!.id}`), params(data!.id)))).data).toEqual(patched.data);

    expect((await ruleById.DELETE(req(`/api/v1/routing-rules/${data!.id}`, { method: "DELETE" }), params(data!.id))).status).toBe(200);
    expect((await ruleById.GET(req(`/api/v1/routing-rules/${data!.id}`), params(data!.id))).status).toBe(404);
  });

  it("rejects a condition that does not compile with the CEL message and position", async () => {
    const response = await post({ ...RULE, name: "typo", condition: 'modle == "gpt-4o"' });
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error).toMatchObject({ code: "invalid_condition", position: { start: 0, end: 5 }, excerpt: expect.stringContaining("^") });
    expect(error!.message).toContain("modle");

    const rule = (await json(await post({ ...RULE, name: "valid" }))).data!;
    const patch = await ruleById.PATCH(req(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", body: { condition: "model + 1" } }), params(rule.id));
    expect(patch.status).toBe(400);
    expect((await json(patch)).error).toMatchObject({ code: "invalid_condition", position: { start: expect.any(Number), end: expect.any(Number) } });
    expect(await prisma.routingRule.count({ where: { name: "typo" } })).toBe(0);
  });

  it("requires the providers and keys of targets and fallbacks to exist", async () => {
    const response = await post({ ...RULE, name: "ghost", targets: [{ provider: "nope", model: "m" }], fallbacks: [{ provider: "mistral", model: "m", key: "missing" }] });
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error!.issues!.map((i) => i.path)).toEqual(["targets.0.provider", "fallbacks.0.key"]);
  });

  it("rejects unknown fields, unknown triggers and scope mistakes with 400", async () => {
    const unknown = await post({ ...RULE, name: "u", when: "true" });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error!.message).toContain("when");
    const trigger = await post({ ...RULE, name: "t", fallback_on: ["teapot"] });
    expect(trigger.status).toBe(400);
    expect(JSON.stringify(await trigger.json())).toContain("unknown trigger");
    expect((await post({ ...RULE, name: "s", scope: "team" })).status).toBe(400);
    expect((await post({ ...RULE, name: "s", scope: "team", scope_name: "no-such-team" })).status).toBe(400);

    const team = (await json(await teams.POST(req("/api/v1/teams", { method: "POST", body: { name: "platform" } })))).data!;
    const scoped = await json(await post({ ...RULE, name: "team-rule", scope: "team", scope_name: "platform" }));
    expect(scoped.data).toMatchObject({ scope: "team", scope_id: team.id, scope_name: "platform" });
  });

  it("reorders: the first id gets the highest priority, in one audited, notified transaction", async () => {
    const ids: string[] = [];
    for (const name of ["r-a", "r-b", "r-c"]) ids.push((await json(await post({ ...RULE, name }))).data!.id);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const payloads: string[] = [];
      listener.on("notification", (n) => payloads.push(n.channel));
      await listener.query("LISTEN config_changed");
      const order = [ids[2]!, ids[0]!, ids[1]!];
      const response = await json(await reorder.POST(req("/api/v1/routing-rules/reorder", { method: "POST", body: { ids: order } })));
      expect((response.data as unknown as { id: string; priority: number }[]).map((r) => [r.id, r.priority])).toEqual([
        [ids[2], 30],
        [ids[0], 20],
        [ids[1], 10],
      ]);
      await listener.query("SELECT 1");
      expect(payloads).toEqual(["config_changed"]);
    } finally {
      await listener.end();
    }
    const listed = (await (await rules.GET(req("/api/v1/routing-rules"))).json()) as { data: { name: string }[] };
    expect(listed.data.slice(0, 3).map((r) => r.name)).toEqual(["r-c", "r-a", "r-b"]);
    expect(await prisma.auditLog.count({ where: { entityType: "routing_rule", action: "reorder" } })).toBe(1);
    expect((await reorder.POST(req("/api/v1/routing-rules/reorder", { method: "POST", body: { ids: ["missing"] } }))).status).toBe(400);
  });

  it("lets a viewer list rules but not change them or explain", async () => {
    const viewer = await prisma.user.create({ data: { email: "viewer@example.com", role: "viewer" } });
    const id = (await prisma.routingRule.findFirstOrThrow()).id;
    try {
      session = { user: { id: viewer.id, email: viewer.email, name: null, role: "viewer" } };
      expect((await rules.GET(req("/api/v1/routing-rules", { token: null }))).status).toBe(200);
      expect((await rules.POST(req("/api/v1/routing-rules", { method: "POST", token: null, body: RULE }))).status).toBe(403);
      expect((await ruleById.DELETE(req(`/api/v1/routing-rules/${id}`, { method: "DELETE", token: null }), params(id))).status).toBe(403);
      expect((await reorder.POST(req("/api/v1/routing-rules/reorder", { method: "POST", token: null, body: { ids: [id] } }))).status).toBe(403);
      expect((await explain.POST(req("/api/v1/routing/explain", { method: "POST", token: null, body: { model: "x" } }))).status).toBe(403);
    } finally {
      session = null;
    }
  });
});

describe("routing explain proxy", () => {
  let gateway: Server;
  let received: { claims: InternalTokenClaims | null; body: unknown }[] = [];

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const key = await loadSigningKey(client);
    await client.end();
    // Stands in for the gateway's POST /admin/routing/explain: checks the token as the gateway
    // will, and echoes what it was asked.
    gateway = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      request.on("end", () => {
        const token = (request.headers.authorization ?? "").replace(/^Bearer /, "");
        const claims = verifyInternalToken(key, token, "gateway-admin");
        received.push({ claims, body: JSON.parse(raw) as unknown });
        response.setHeader("content-type", "application/json");
        if (request.url !== "/admin/routing/explain" || request.method !== "POST") response.writeHead(404).end("{}");
        else if (!claims) response.writeHead(401).end(JSON.stringify({ error: "bad token" }));
        else response.writeHead(200).end(JSON.stringify({ matched_rule: "claude-to-devstral", echo: JSON.parse(raw) as unknown }));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    process.env.GATEWAY_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => gateway?.close(() => resolve()));
  });

  it("forwards the validated request with a gateway-admin token and answers the gateway's JSON", async () => {
    received = [];
    const body = { model: "claude-sonnet-4-5", request_type: "chat", headers: { "x-team": "a" }, virtual_key_name: "ci-bot", tags: ["ci"] };
    const response = await explain.POST(req("/api/v1/routing/explain", { method: "POST", body }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ matched_rule: "claude-to-devstral", echo: body });
    expect(received).toHaveLength(1);
    expect(received[0]!.claims).toMatchObject({ sub: "admin-token", role: "admin", aud: "gateway-admin" });
    expect(received[0]!.claims!.exp - Date.now() / 1000).toBeLessThanOrEqual(60);
  });

  it("validates before proxying", async () => {
    received = [];
    const response = await explain.POST(req("/api/v1/routing/explain", { method: "POST", body: { model: "m", request_type: "teleport", extra: 1 } }));
    expect(response.status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it("answers 502 with a clear message when the gateway is down", async () => {
    const url = process.env.GATEWAY_URL;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.GATEWAY_URL = `http://127.0.0.1:${port}`;
    try {
      const response = await explain.POST(req("/api/v1/routing/explain", { method: "POST", body: { model: "m" } }));
      expect(response.status).toBe(502);
      const { error } = await json(response);
      expect(error).toMatchObject({ code: "gateway_unreachable" });
      expect(error!.message).toContain(`127.0.0.1:${port}`);
      expect(error!.message).toContain("ECONNREFUSED");
    } finally {
      process.env.GATEWAY_URL = url;
    }
  });
});
