// GET /api/v1/logs/live-token on a real database: each role gets a live-logs token carrying
// the scope the gateway enforces (lib/rbac/log-scope.ts), verifiable with the shared key,
// and the socket URL for the browser. The gateway side is gateway/test/live-logs.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { verifyInternalToken } from "@/lib/internal-auth/internal-token";
import { loadSigningKey } from "@/lib/internal-auth/signing-key";
import { GET } from "./route";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const TOKEN = "live-token-test-admin-token";
const saved = { databaseUrl: process.env.DATABASE_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN, publicUrl: process.env.SWITCHYARD_GATEWAY_PUBLIC_URL, port: process.env.GATEWAY_PORT };
let db: TestDatabase;
let prisma: PrismaClient;
let signingKey: string;
const ids = { member: "", lead: "", alpha: "" };

function call(headers: Record<string, string> = {}, url = "http://dash.example:3000/api/v1/logs/live-token"): Promise<Response> {
  return GET(new NextRequest(url, { headers }));
}

async function tokenClaims(response: Response) {
  const body = (await response.json()) as { data: { token: string; url: string; expires_at: string } };
  return { ...body.data, claims: verifyInternalToken(signingKey, body.data.token, "live-logs") };
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_ADMIN_TOKEN = TOKEN;
  process.env.GATEWAY_PORT = "8080";
  delete process.env.SWITCHYARD_GATEWAY_PUBLIC_URL;
  prisma = createPrismaClient(db.url);
  const alpha = await prisma.team.create({ data: { name: "alpha" } });
  const member = await prisma.user.create({ data: { email: "member@example.com", role: "member" } });
  const lead = await prisma.user.create({ data: { email: "lead@example.com", role: "team_admin" } });
  await prisma.membership.create({ data: { userId: lead.id, teamId: alpha.id, role: "team_admin" } });
  await prisma.membership.create({ data: { userId: member.id, teamId: alpha.id, role: "member" } });
  Object.assign(ids, { member: member.id, lead: lead.id, alpha: alpha.id });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  signingKey = await loadSigningKey(client);
  await client.end();
});

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  await db?.drop();
  for (const [name, value] of Object.entries({ DATABASE_URL: saved.databaseUrl, SWITCHYARD_ADMIN_TOKEN: saved.adminToken, SWITCHYARD_GATEWAY_PUBLIC_URL: saved.publicUrl, GATEWAY_PORT: saved.port })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("GET /api/v1/logs/live-token", () => {
  it("refuses anonymous callers", async () => {
    session = null;
    expect((await call()).status).toBe(401);
  });

  it("signs a team admin's token with their teams, a member's with none", async () => {
    session = { user: { id: ids.lead, email: "lead@example.com", name: null, role: "team_admin" } };
    const lead = await tokenClaims(await call());
    expect(lead.claims).toMatchObject({ sub: ids.lead, role: "team_admin", aud: "live-logs", teams: [ids.alpha] });
    expect(lead.url).toBe("ws://dash.example:8080/ws");
    expect(new Date(lead.expires_at).getTime() - Date.now()).toBeGreaterThan(200_000);

    session = { user: { id: ids.member, email: "member@example.com", name: null, role: "member" } };
    const member = await tokenClaims(await call());
    expect(member.claims).toMatchObject({ sub: ids.member, role: "member", aud: "live-logs" });
    expect(member.claims?.teams).toBeUndefined();
    // Not usable for the gateway's admin endpoints.
    expect(verifyInternalToken(signingKey, (await (await call()).json() as { data: { token: string } }).data.token, "gateway-admin")).toBeNull();
  });

  it("answers the admin token, and uses SWITCHYARD_GATEWAY_PUBLIC_URL for the socket address", async () => {
    session = null;
    process.env.SWITCHYARD_GATEWAY_PUBLIC_URL = "https://gw.example.com/";
    try {
      const answer = await tokenClaims(await call({ authorization: `Bearer ${TOKEN}` }));
      expect(answer.claims).toMatchObject({ sub: "admin-token", role: "admin", aud: "live-logs" });
      expect(answer.url).toBe("wss://gw.example.com/ws");
    } finally {
      delete process.env.SWITCHYARD_GATEWAY_PUBLIC_URL;
    }
  });
});
