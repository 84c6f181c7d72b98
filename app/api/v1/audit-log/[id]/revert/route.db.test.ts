// POST /api/v1/audit-log/:id/revert on a real database: a rule changed through the admin API
// and a key changed by a config apply get their earlier state back; a created rule is
// deleted; unsupported entries and vanished entities are a clear 409.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMasterKeyForTesting } from "@/lib/crypto/secret-box";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { applyConfig } from "@/lib/config/apply";
import { parseConfigText } from "@/lib/config/load";
import { POST as revert } from "./route";
import { POST as createRule } from "../../../routing-rules/route";
import { PATCH as updateRule } from "../../../routing-rules/[id]/route";

const TOKEN = "revert-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };
let db: TestDatabase;
let prisma: PrismaClient;

function json(method: string, body?: unknown): Request {
  return new Request("http://dash/api", { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function latestAudit(entityType: string, entityId: string, action: string) {
  return prisma.auditLog.findFirstOrThrow({ where: { entityType, entityId, action }, orderBy: { createdAt: "desc" } });
}

async function apply(text: string) {
  const loaded = parseConfigText(text, { env: {} });
  return applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs });
}

const CONFIG = `providers:
  - name: p1
    type: openai-compatible
    base_url: http://127.0.0.1:9/v1
    keys: [{ name: main, value: k }]
teams:
  - name: platform
virtual_keys:
  - name: bot
    team: platform
    models: ["p1/*"]
    budgets: [{ usd: 5, window: 1d }]
`;

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  prisma = createPrismaClient(db.url);
  await apply(CONFIG);
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  await db?.drop();
  setMasterKeyForTesting(undefined);
  process.env.DATABASE_URL = saved.databaseUrl;
  if (saved.adminToken === undefined) delete process.env.SWITCHYARD_ADMIN_TOKEN;
  else process.env.SWITCHYARD_ADMIN_TOKEN = saved.adminToken;
});

describe("revert one change", () => {
  it("restores a routing rule changed through the admin API, and deletes one that was created", async () => {
    const created = (await (await createRule(json("POST", { name: "to-p1", condition: 'model == "a"', targets: [{ provider: "p1", model: "m1", weight: 3 }], fallbacks: [{ provider: "p1", model: "m2" }] }))).json()) as { data: { id: string } };
    const id = created.data.id;
    const patched = await updateRule(json("PATCH", { condition: 'model == "b"', targets: [{ provider: "p1", model: "other", weight: 1 }], fallbacks: [] }), params(id));
    expect(patched.status).toBe(200);
    const change = await latestAudit("routing_rule", id, "update");

    const response = await revert(json("POST"), params(change.id));
    expect(response.status).toBe(200);
    const rule = await prisma.routingRule.findUniqueOrThrow({ where: { id }, include: { targets: { orderBy: [{ kind: "asc" }, { position: "asc" }] } } });
    expect(rule.condition).toBe('model == "a"');
    expect(rule.targets.map((t) => [t.kind, t.model, t.weight]).sort()).toEqual([["fallback", "m2", 1], ["target", "m1", 3]]);
    // The revert is a change of its own, audited like any other.
    expect(await prisma.auditLog.count({ where: { entityType: "routing_rule", entityId: id, action: "update" } })).toBe(2);

    const creation = await latestAudit("routing_rule", id, "create");
    expect((await revert(json("POST"), params(creation.id))).status).toBe(200);
    expect(await prisma.routingRule.findUnique({ where: { id } })).toBeNull();
    // Gone now: its older changes cannot be reverted.
    const again = await revert(json("POST"), params(change.id));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain("no longer exists");
  });

  it("restores a virtual key changed by a config apply (the config snapshot shape)", async () => {
    await apply(CONFIG.replace("usd: 5", "usd: 9").replace('models: ["p1/*"]', 'models: ["p1/m1"]\n    tags: [x]'));
    const key = await prisma.virtualKey.findUniqueOrThrow({ where: { name: "bot" } });
    expect(key.allowedModels).toEqual(["p1/m1"]);
    const change = await latestAudit("virtual_key", key.id, "update");
    expect((await revert(json("POST"), params(change.id))).status).toBe(200);
    const restored = await prisma.virtualKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(restored.allowedModels).toEqual(["p1/*"]);
    expect(restored.tags).toEqual([]);
    expect(restored.keyHash).toBe(key.keyHash);
    const budget = await prisma.budget.findFirstOrThrow({ where: { entityType: "virtual_key", entityId: key.id } });
    expect(Number(budget.limitUsd)).toBe(5);
  });

  it("refuses entries it cannot revert with a reason, and unknown ids with 404", async () => {
    const team = await prisma.team.findUniqueOrThrow({ where: { name: "platform" } });
    const teamChange = await latestAudit("team", team.id, "create");
    const refused = await revert(json("POST"), params(teamChange.id));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("routing rules and virtual keys");
    expect((await revert(json("POST"), params("no-such-entry"))).status).toBe(404);
  });
});
