// Keyset pagination and RBAC scoping of the log listing, on a real database.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { logScopeFor } from "@/lib/rbac/log-scope";
import { listRequestLogs, parseLogsQuery } from "./request-logs";
import { getOverview } from "./overview";

let db: TestDatabase;
let prisma: PrismaClient;
let memberId: string;
let memberKeyId: string;
const NOW = new Date();

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  const member = await prisma.user.create({ data: { email: "m@example.com", role: "member" } });
  memberId = member.id;
  const own = await prisma.virtualKey.create({ data: { name: "own", keyHash: "h-own", displayPrefix: "sk-sy-own", userId: member.id } });
  const other = await prisma.virtualKey.create({ data: { name: "other", keyHash: "h-other", displayPrefix: "sk-sy-oth" } });
  memberKeyId = own.id;
  // 25 rows, several sharing a timestamp so the id tie-breaker matters.
  await prisma.requestLog.createMany({
    data: Array.from({ length: 25 }, (_, i) => ({
      id: randomUUID(),
      createdAt: new Date(NOW.getTime() - 60_000 * Math.floor(i / 3) - 1000),
      clientApi: "openai-chat",
      requestType: "chat",
      provider: i % 2 === 0 ? "mock" : "other",
      model: "gpt-test",
      virtualKeyId: i % 5 === 0 ? own.id : other.id,
      virtualKeyName: i % 5 === 0 ? "own" : "other",
      status: i % 4 === 0 ? 500 : 200,
      latencyMs: 100,
      inputTokens: 10,
      outputTokens: 5,
      costUsd: "0.001",
    })),
  });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const admin = { kind: "admin-token", role: "admin" } as const;

describe("listRequestLogs", () => {
  it("pages through every row exactly once, newest first", async () => {
    const scope = await logScopeFor(prisma, admin);
    const seen: { id: string; createdAt: Date }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = parseLogsQuery(new URLSearchParams(cursor ? { limit: "4", cursor } : { limit: "4" }));
      if (!query.ok) throw new Error(JSON.stringify(query.issues));
      const page = await listRequestLogs(prisma, scope, query.data);
      seen.push(...page.rows);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(7);
    expect(new Set(seen.map((r) => r.id)).size).toBe(25);
    const sorted = [...seen].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(seen.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
  });

  it("filters by provider and status class", async () => {
    const query = parseLogsQuery(new URLSearchParams("provider=mock&status=5xx&limit=200"));
    if (!query.ok) throw new Error("invalid");
    const page = await listRequestLogs(prisma, { kind: "all" }, query.data);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.provider === "mock" && r.status === 500)).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it("shows a member only the logs of their own keys", async () => {
    const scope = await logScopeFor(prisma, { kind: "user", userId: memberId, email: "m@example.com", name: null, role: "member" });
    const page = await listRequestLogs(prisma, scope, { limit: 200 });
    expect(page.rows).toHaveLength(5);
    expect(page.rows.every((r) => r.virtualKeyId === memberKeyId)).toBe(true);
  });

  it("shows a member without keys nothing", async () => {
    const loner = await prisma.user.create({ data: { email: "loner@example.com", role: "member" } });
    const scope = await logScopeFor(prisma, { kind: "user", userId: loner.id, email: loner.email, name: null, role: "member" });
    expect((await listRequestLogs(prisma, scope, { limit: 200 })).rows).toHaveLength(0);
    expect((await getOverview(prisma, scope, "24h", NOW)).totals.requests).toBe(0);
  });
});

describe("getOverview", () => {
  it("sums requests, errors, tokens and cost in the range, scoped like the logs", async () => {
    const all = await getOverview(prisma, { kind: "all" }, "24h", NOW);
    expect(all.totals).toMatchObject({ requests: 25, errors: 7, inputTokens: 250, outputTokens: 125 });
    expect(all.totals.costUsd).toBeCloseTo(0.025, 10);
    expect(all.series.unit).toBe("hour");
    expect(all.series.points.reduce((s, p) => s + p.requests, 0)).toBe(25);

    const member = await getOverview(prisma, { kind: "restricted", virtualKeyIds: [memberKeyId], teamIds: [] }, "7d", NOW);
    expect(member.totals.requests).toBe(5);
    expect(member.series.unit).toBe("day");
    expect(member.series.points.reduce((s, p) => s + p.errors, 0)).toBe(member.totals.errors);
  });
});
