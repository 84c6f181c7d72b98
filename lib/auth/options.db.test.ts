// Credentials sign-in and session refresh against a real database.
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { authorizeCredentials, buildAuthOptions } from "./options";
import { hashPassword } from "./password";

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET ??= "test-secret-for-options";
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  const passwordHash = await hashPassword("the right password");
  await prisma.user.create({ data: { email: "ada@example.com", name: "Ada", role: "admin", passwordHash } });
  await prisma.user.create({ data: { email: "off@example.com", role: "member", passwordHash, disabledAt: new Date() } });
  await prisma.user.create({ data: { email: "sso@example.com", role: "member" } });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("authorizeCredentials", () => {
  it("signs in with the right password, email case-insensitively", async () => {
    const user = await authorizeCredentials(prisma, " ADA@example.com", "the right password");
    expect(user).toMatchObject({ email: "ada@example.com", role: "admin" });
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } })).lastLoginAt).not.toBeNull();
  });

  it.each([
    ["a wrong password", "ada@example.com", "the wrong password"],
    ["an unknown email", "nobody@example.com", "the right password"],
    ["a disabled user", "off@example.com", "the right password"],
    ["an OIDC-only user (no password)", "sso@example.com", "the right password"],
    ["empty input", "", ""],
  ])("refuses %s", async (_what, email, password) => {
    await expect(authorizeCredentials(prisma, email, password)).resolves.toBeNull();
  });
});

describe("jwt callback", () => {
  it("puts the database role in the token and revokes it once the user is disabled", async () => {
    const options = buildAuthOptions(() => prisma);
    const jwt = options.callbacks!.jwt!;
    const ada = await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    const signedIn = (await jwt({ token: { sub: ada.id }, user: { id: ada.id }, account: null, trigger: "signIn" } as never)) as JWT;
    expect(signedIn).toMatchObject({ sub: ada.id, role: "admin" });

    await prisma.user.update({ where: { id: ada.id }, data: { disabledAt: new Date() } });
    // Within the recheck interval the token is trusted as is...
    expect(((await jwt({ token: signedIn } as never)) as JWT).revoked).toBeUndefined();
    // ...after it, the database wins.
    const stale = { ...signedIn, checkedAt: Date.now() - 60 * 60 * 1000 };
    expect(((await jwt({ token: stale } as never)) as JWT).revoked).toBe(true);
    const session = await options.callbacks!.session!({ session: { expires: "" }, token: { ...stale, revoked: true } } as never);
    expect((session as { user?: unknown }).user).toBeUndefined();
  });
});
