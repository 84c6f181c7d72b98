// GET / POST /api/v1/users and POST /api/v1/users/:id/invite on a real database, with the
// invitation accepted through lib/auth/invites.ts (what the /invite page's action calls).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { acceptInvite, checkInvite } from "@/lib/auth/invites";
import { verifyPassword } from "@/lib/auth/password";
import { GET, POST } from "./route";
import { POST as REINVITE } from "./[id]/invite/route";

const TOKEN = "users-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN, nextAuthUrl: process.env.NEXTAUTH_URL };
let db: TestDatabase;
let prisma: PrismaClient;

function call(handler: (request: Request) => Promise<Response>, body?: unknown): Promise<Response> {
  return handler(new Request("http://dash.example:3000/api/v1/users", {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
}

function tokenOf(url: string): string {
  return new URL(url).searchParams.get("token") ?? "";
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  delete process.env.NEXTAUTH_URL;
  prisma = createPrismaClient(db.url);
  await prisma.team.create({ data: { name: "platform" } });
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  await db?.drop();
  for (const [name, value] of Object.entries({ DATABASE_URL: saved.databaseUrl, SWITCHYARD_ADMIN_TOKEN: saved.adminToken, NEXTAUTH_URL: saved.nextAuthUrl })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("/api/v1/users", () => {
  it("invites a user into a team with a one-time link they use to set a password", async () => {
    const response = await call(POST, { email: "Lead@Example.com", role: "team_admin", teams: [{ team: "platform", role: "team_admin" }] });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { user: { id: string; email: string; status: string; role: string; teams: { name: string; role: string }[] }; invite_url: string; expires_at: string } };
    expect(data.user).toMatchObject({ email: "lead@example.com", role: "team_admin", status: "invited", teams: [{ name: "platform", role: "team_admin" }] });
    expect(data.invite_url).toMatch(/^http:\/\/dash\.example:3000\/invite\?token=[\w-]{40,}$/);
    expect(new Date(data.expires_at).getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000);
    // Only the hash is stored.
    const stored = await prisma.userInvite.findMany({ where: { userId: data.user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(tokenOf(data.invite_url));

    const token = tokenOf(data.invite_url);
    expect(await checkInvite(prisma, token)).toMatchObject({ state: "valid", email: "lead@example.com" });
    expect(await acceptInvite(prisma, { token, name: "Lea", password: "short" })).toMatchObject({ ok: false, reason: "validation" });
    expect(await acceptInvite(prisma, { token, name: "Lea", password: "a-long-enough-password" })).toEqual({ ok: true, email: "lead@example.com" });
    expect(await acceptInvite(prisma, { token, name: "Lea", password: "a-long-enough-password" })).toEqual({ ok: false, reason: "used" });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: data.user.id } });
    expect(user.name).toBe("Lea");
    expect(await verifyPassword("a-long-enough-password", user.passwordHash!)).toBe(true);

    const list = (await (await call(GET)).json()) as { data: { email: string; status: string }[] };
    expect(list.data.find((u) => u.email === "lead@example.com")?.status).toBe("active");
    // An active user has nothing to re-send.
    const again = await REINVITE(new Request(`http://dash.example:3000/api/v1/users/${data.user.id}/invite`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } }), { params: Promise.resolve({ id: data.user.id }) });
    expect(again.status).toBe(409);
  });

  it("re-sending an invitation replaces the old link", async () => {
    const first = (await (await call(POST, { email: "member@example.com" })).json()) as { data: { user: { id: string; role: string }; invite_url: string } };
    expect(first.data.user.role).toBe("member");
    const response = await REINVITE(new Request(`http://dash.example:3000/api/v1/users/${first.data.user.id}/invite`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } }), { params: Promise.resolve({ id: first.data.user.id }) });
    expect(response.status).toBe(200);
    const second = (await response.json()) as { data: { invite_url: string } };
    expect(await checkInvite(prisma, tokenOf(first.data.invite_url))).toEqual({ state: "invalid" });
    expect((await checkInvite(prisma, tokenOf(second.data.invite_url))).state).toBe("valid");
  });

  it("refuses duplicates, unknown teams, unknown fields and owners invited by a non-owner", async () => {
    const duplicate = await call(POST, { email: "member@example.com" });
    expect(duplicate.status).toBe(409);
    const unknownTeam = await call(POST, { email: "x@example.com", teams: [{ team: "nope" }] });
    expect(unknownTeam.status).toBe(400);
    expect(((await unknownTeam.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path).toBe("teams.0.team");
    expect((await call(POST, { email: "y@example.com", colour: "red" })).status).toBe(400);
    // The admin token acts as an admin, not an owner.
    expect((await call(POST, { email: "z@example.com", role: "owner" })).status).toBe(403);
    expect(await prisma.user.count({ where: { email: { in: ["x@example.com", "y@example.com", "z@example.com"] } } })).toBe(0);
  });
});
