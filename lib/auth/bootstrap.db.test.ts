// ensureFirstAdmin and the setup page's completeSetup against a real, migrated database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { ensureFirstAdmin } from "./bootstrap";
import { verifyPassword } from "./password";
import { checkSetupToken, completeSetup } from "./setup";
import { hashSetupToken } from "./setup-token";

let db: TestDatabase;
let prisma: PrismaClient;
const DASHBOARD = "http://localhost:3000/";

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});
beforeEach(async () => {
  await prisma.setupToken.deleteMany();
  await prisma.user.deleteMany();
});

function tokenOf(setupUrl: string | undefined): string {
  const token = new URL(setupUrl ?? "http://x/").searchParams.get("token");
  if (!token) throw new Error(`no token in ${setupUrl}`);
  return token;
}

describe("ensureFirstAdmin", () => {
  it("creates the owner from env credentials, with a verifiable password", async () => {
    const result = await ensureFirstAdmin(prisma, { email: " Admin@Example.com ", password: "a long enough password", dashboardUrl: DASHBOARD });
    expect(result).toEqual({ outcome: "created-from-env" });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(user.role).toBe("owner");
    await expect(verifyPassword("a long enough password", user.passwordHash)).resolves.toBe(true);
  });

  it("reports an existing owner and changes nothing", async () => {
    await prisma.user.create({ data: { email: "first@example.com", role: "owner" } });
    const result = await ensureFirstAdmin(prisma, { email: "second@example.com", password: "another long password", dashboardUrl: DASHBOARD });
    expect(result).toEqual({ outcome: "exists" });
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.setupToken.count()).toBe(0);
  });

  it("promotes a user that config created with a lesser role", async () => {
    await prisma.user.create({ data: { email: "admin@example.com", role: "member" } });
    await ensureFirstAdmin(prisma, { email: "admin@example.com", password: "a long enough password", dashboardUrl: DASHBOARD });
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } })).role).toBe("owner");
  });

  it("refuses a short env password", async () => {
    await expect(ensureFirstAdmin(prisma, { email: "a@example.com", password: "short", dashboardUrl: DASHBOARD })).rejects.toThrow(/at least 12/);
    expect(await prisma.user.count()).toBe(0);
  });

  it("prints a setup link whose token is stored only as a hash, expiring in 24 h", async () => {
    const result = await ensureFirstAdmin(prisma, { dashboardUrl: DASHBOARD });
    expect(result.outcome).toBe("setup-link");
    expect(result.setupUrl).toMatch(/^http:\/\/localhost:3000\/setup\?token=[\w-]{43}$/);
    const token = tokenOf(result.setupUrl);
    const rows = await prisma.setupToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashSetupToken(token));
    expect(rows[0]!.tokenHash).not.toContain(token);
    const ttl = rows[0]!.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });

  it("invalidates the previous unused link when a new one is made", async () => {
    const first = tokenOf((await ensureFirstAdmin(prisma, { dashboardUrl: DASHBOARD })).setupUrl);
    const second = tokenOf((await ensureFirstAdmin(prisma, { dashboardUrl: DASHBOARD })).setupUrl);
    expect(first).not.toBe(second);
    await expect(checkSetupToken(prisma, first)).resolves.toBe("invalid");
    await expect(checkSetupToken(prisma, second)).resolves.toBe("valid");
  });

  it("creates exactly one owner when several processes start at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        ensureFirstAdmin(prisma, { email: `admin${i}@example.com`, password: "a long enough password", dashboardUrl: DASHBOARD }),
      ),
    );
    expect(results.filter((r) => r.outcome === "created-from-env")).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: "owner" } })).toBe(1);
  });
});

describe("completeSetup", () => {
  async function freshToken(): Promise<string> {
    return tokenOf((await ensureFirstAdmin(prisma, { dashboardUrl: DASHBOARD })).setupUrl);
  }
  const form = { email: "Owner@Example.com", name: "Olga Owner", password: "twelve chars!" };

  it("creates the owner once and burns the token", async () => {
    const token = await freshToken();
    const result = await completeSetup(prisma, { token, ...form });
    expect(result.ok).toBe(true);
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
    expect(owner).toMatchObject({ role: "owner", name: "Olga Owner" });
    await expect(verifyPassword("twelve chars!", owner.passwordHash)).resolves.toBe(true);
    await expect(completeSetup(prisma, { token, ...form, email: "again@example.com" })).resolves.toEqual({ ok: false, reason: "used" });
    await expect(checkSetupToken(prisma, token)).resolves.toBe("owner-exists");
  });

  it("lets only one of two simultaneous submissions win", async () => {
    const token = await freshToken();
    const results = await Promise.all([
      completeSetup(prisma, { token, ...form, email: "a@example.com" }),
      completeSetup(prisma, { token, ...form, email: "b@example.com" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await prisma.user.count()).toBe(1);
  });

  it("rejects unknown and expired tokens, and short passwords", async () => {
    await expect(completeSetup(prisma, { token: "nope", ...form })).resolves.toEqual({ ok: false, reason: "invalid" });
    const token = await freshToken();
    const weak = await completeSetup(prisma, { token, ...form, password: "short" });
    expect(weak).toMatchObject({ ok: false, reason: "validation", fieldErrors: { password: expect.stringMatching(/12/) } });
    await prisma.setupToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(checkSetupToken(prisma, token)).resolves.toBe("expired");
    await expect(completeSetup(prisma, { token, ...form })).resolves.toEqual({ ok: false, reason: "expired" });
    expect(await prisma.user.count()).toBe(0);
  });

  it("refuses when an owner was created from env after the link was printed", async () => {
    const token = await freshToken();
    await prisma.user.create({ data: { email: "env@example.com", role: "owner" } });
    await expect(completeSetup(prisma, { token, ...form })).resolves.toEqual({ ok: false, reason: "owner-exists" });
    // The refused attempt must not burn the token silently either.
    expect((await prisma.setupToken.findFirstOrThrow()).usedAt).toBeNull();
  });
});
