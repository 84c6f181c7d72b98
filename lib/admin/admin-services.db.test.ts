// lib/admin services on a real database: scoping by role, team budget caps, secrets kept
// out of storage and responses, audit rows and the NOTIFY channels gateways listen on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { hashVirtualKey } from "../crypto/virtual-key";
import type { Actor } from "./actor";
import { AdminError } from "./errors";
import { createVirtualKey, listVirtualKeys, revokeVirtualKey, rotateVirtualKey, updateVirtualKey } from "./virtual-keys";
import { createVirtualKeyInputSchema, updateVirtualKeyInputSchema } from "../validation/admin-virtual-keys";
import { budgetHistory, createBudget, listBudgets, resetBudget } from "./budgets";
import { addTeamMember, createTeam } from "./teams";

let db: TestDatabase;
let prisma: PrismaClient;
const admin: Actor = { userId: null, label: "admin-token", role: "admin" };
let alice: Actor; // team admin of "red"
let bob: Actor; // member of "red"
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  const a = await prisma.user.create({ data: { email: "alice@example.com", role: "team_admin" } });
  const b = await prisma.user.create({ data: { email: "bob@example.com", role: "member" } });
  alice = { userId: a.id, label: a.email, role: "team_admin" };
  bob = { userId: b.id, label: b.email, role: "member" };
  const team = await createTeam(prisma, admin, { name: "red", budgets: [{ usd: 10, window: "1d" }] });
  teamId = team.id;
  await addTeamMember(prisma, admin, teamId, { user: "alice@example.com", role: "team_admin" });
  await addTeamMember(prisma, admin, teamId, { user: "bob@example.com", role: "member" });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function expectAdminError(promise: Promise<unknown>, status: number, message?: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AdminError);
  expect((error as AdminError).status).toBe(status);
  if (message) expect((error as AdminError).message).toMatch(message);
}

describe("virtual keys", () => {
  it("stores only the hash and returns the secret once", async () => {
    const { key, secret } = await createVirtualKey(prisma, admin, { name: "k-admin", models: ["*"] });
    expect(secret).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.keyHash).toBe(hashVirtualKey(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await listVirtualKeys(prisma, admin);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain(row.keyHash);
    const audits = await prisma.auditLog.findMany({ where: { entityId: key.id } });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain(secret);
    expect(JSON.stringify(audits)).not.toContain(row.keyHash);
  });

  it("lets a team admin create keys in their team only within the team's budgets", async () => {
    await expectAdminError(
      createVirtualKey(prisma, alice, { name: "k-big", team: "red", models: ["*"], budgets: [{ usd: 50, window: "1d" }] }),
      403,
      /exceeds team "red"'s budget of \$10 per 1d/,
    );
    const ok = await createVirtualKey(prisma, alice, { name: "k-red", team: "red", user: "bob@example.com", models: ["*"], budgets: [{ usd: 5, window: "1d" }] });
    expect(ok.key.budgets).toMatchObject([{ window: "1d", usd: 5 }]);
    await prisma.team.create({ data: { name: "blue" } });
    await expectAdminError(createVirtualKey(prisma, alice, { name: "k-blue", team: "blue", models: ["*"] }), 403);
  });

  it("shows a member only their own keys", async () => {
    const own = await createVirtualKey(prisma, bob, { name: "k-bob", models: ["gpt-*"] });
    expect(own.key.user?.email).toBe("bob@example.com");
    const names = (await listVirtualKeys(prisma, bob)).map((k) => k.name).sort();
    expect(names).toEqual(["k-bob", "k-red"]);
    // Bob's personal key is in no team, so his team admin does not see it.
    expect((await listVirtualKeys(prisma, alice)).map((k) => k.name).sort()).toEqual(["k-red"]);
    expect((await listVirtualKeys(prisma, admin)).length).toBeGreaterThanOrEqual(3);
  });

  it("rotates with a grace period and revokes", async () => {
    const { key, secret } = await createVirtualKey(prisma, admin, { name: "k-rotate", models: ["*"] });
    const now = new Date("2030-01-01T00:00:00.000Z");
    const rotated = await rotateVirtualKey(prisma, admin, key.id, { grace_seconds: 600 }, now);
    expect(rotated.secret).not.toBe(secret);
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.keyHash).toBe(hashVirtualKey(rotated.secret));
    expect(row.previousKeyHash).toBe(hashVirtualKey(secret));
    expect(row.previousKeyExpiresAt?.toISOString()).toBe("2030-01-01T00:10:00.000Z");

    const revoked = await revokeVirtualKey(prisma, admin, key.id);
    expect(revoked).toMatchObject({ active: false, revoked_at: expect.any(String) });
    await expectAdminError(rotateVirtualKey(prisma, admin, key.id, {}), 409);
  });
});

describe("budgets", () => {
  it("reports usage from request_logs, resets the window and notifies budget_reset", async () => {
    const now = new Date();
    const budget = await createBudget(prisma, admin, { entity_type: "team", entity_id: teamId, window: "1M", usd: 100 });
    await prisma.requestLog.create({
      data: { id: "00000000-0000-4000-8000-000000000001", createdAt: now, clientApi: "openai", requestType: "chat", status: 200, latencyMs: 5, teamId, costUsd: "2.5", inputTokens: 10, outputTokens: 5 },
    });
    const [listed] = await listBudgets(prisma, admin, { entity_type: "team", entity_id: teamId }, now);
    expect(listed).toMatchObject({ id: budget.id, used_usd: 2.5, used_tokens: 15, percent_used: 2.5, usage_source: "request_logs" });
    expect(listed?.current_window.resets_at).toBe(listed?.current_window.end);

    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const notes: { channel: string; payload?: string }[] = [];
      listener.on("notification", (n) => notes.push({ channel: n.channel, payload: n.payload }));
      await listener.query("LISTEN budget_reset");
      await listener.query("LISTEN config_changed");
      const after = await resetBudget(prisma, admin, budget.id, now);
      await listener.query("SELECT 1");
      expect(notes).toContainEqual({ channel: "budget_reset", payload: JSON.stringify({ budgetId: budget.id }) });
      expect(notes).toContainEqual({ channel: "config_changed", payload: '{"source":"admin-api"}' });
      expect(after).toMatchObject({ used_usd: 0, usage_source: "budget_periods", reset_at: now.toISOString() });
    } finally {
      await listener.end();
    }
    const history = await budgetHistory(prisma, admin, budget.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ reset_by: "admin-token", reset_at: now.toISOString() });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: budget.id, action: "reset" } });
    expect(audit.before).toMatchObject({ used_usd: 2.5 });
  });

  it("refuses budget writes outside a team admin's keys", async () => {
    await expectAdminError(createBudget(prisma, alice, { entity_type: "team", entity_id: teamId, window: "1h", usd: 1 }), 403);
  });
});

describe("team and key settings (cache defaults, body capture)", () => {
  it("are stored, answered, updated, and validated strictly", async () => {
    const created = await createVirtualKey(prisma, admin, createVirtualKeyInputSchema.parse({ name: "with-settings", models: ["*"], settings: { capture_bodies: true, cache: { mode: "exact", ttl_seconds: 60 } } }));
    expect(created.key.settings).toEqual({ capture_bodies: true, cache: { mode: "exact", ttl_seconds: 60 } });
    const updated = await updateVirtualKey(prisma, admin, created.key.id, updateVirtualKeyInputSchema.parse({ settings: { cache: { mode: "off" } } }));
    expect(updated.settings).toEqual({ cache: { mode: "off" } });
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: created.key.id } });
    expect(row.settings).toEqual({ cache: { mode: "off" } });
    expect(createVirtualKeyInputSchema.safeParse({ name: "x", models: ["*"], settings: { cache: { mode: "always" } } }).success).toBe(false);
    expect(createVirtualKeyInputSchema.safeParse({ name: "x", models: ["*"], settings: { colour: "red" } }).success).toBe(false);
    const team = await createTeam(prisma, admin, { name: "cached", settings: { cache: { mode: "semantic", threshold: 0.95 } } });
    expect(team.settings).toEqual({ cache: { mode: "semantic", threshold: 0.95 } });
  });
});
