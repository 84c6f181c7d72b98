// The RBAC matrix as a test (issue 7): every exported handler of every app/api/v1 route,
// called as every role, must answer 403 exactly when the permission matrix denies that role
// the route's action (lib/rbac/route-permissions.ts). Routes are found on disk, so a new
// route without a rule fails here instead of shipping unguarded.
import { readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { can, ROLES, type Role } from "@/lib/rbac/permissions";
import { ROUTE_PERMISSIONS } from "@/lib/rbac/route-permissions";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

let session: { user: { id: string; email: string; name: string | null; role: string } } | null = null;
vi.mock("next-auth", async (original) => ({ ...(await original<object>()), getServerSession: async () => session }));

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const API_ROOT = path.join(import.meta.dirname);

interface RouteHandler {
  key: string;
  method: (typeof METHODS)[number];
  file: string;
  urlPath: string;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

async function discoverHandlers(): Promise<RouteHandler[]> {
  const handlers: RouteHandler[] = [];
  for (const file of routeFiles(API_ROOT).sort()) {
    const pattern = `/api/v1/${path.relative(API_ROOT, path.dirname(file)).split(path.sep).join("/")}`;
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof module[method] !== "function") continue;
      // Dynamic segments get ids that exist nowhere: allowed roles then see 404 or 400, never 403.
      handlers.push({ key: `${method} ${pattern}`, method, file, urlPath: pattern.replace(/\[(\w+)\]/g, "does-not-exist") });
    }
  }
  return handlers;
}

let db: TestDatabase;
let prisma: PrismaClient;
let handlers: RouteHandler[];
const users = new Map<Role, { id: string; email: string }>();
const saved = { databaseUrl: process.env.DATABASE_URL, gatewayUrl: process.env.GATEWAY_URL, adminToken: process.env.SWITCHYARD_ADMIN_TOKEN };

/** A port nobody listens on, so routes that call the gateway fail fast instead of hanging. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.GATEWAY_URL = `http://127.0.0.1:${await closedPort()}`;
  delete process.env.SWITCHYARD_ADMIN_TOKEN;
  prisma = createPrismaClient(db.url);
  for (const role of ROLES) {
    const user = await prisma.user.create({ data: { email: `${role}@rbac.test`, name: role, role } });
    users.set(role, { id: user.id, email: user.email });
  }
  handlers = await discoverHandlers();
}, 120_000);

afterAll(async () => {
  const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };
  await shared.switchyardPrisma?.$disconnect();
  delete shared.switchyardPrisma;
  await prisma?.$disconnect();
  for (const [name, value] of [["DATABASE_URL", saved.databaseUrl], ["GATEWAY_URL", saved.gatewayUrl], ["SWITCHYARD_ADMIN_TOKEN", saved.adminToken]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await db?.drop();
});

async function call(handler: RouteHandler): Promise<number> {
  const module = (await import(handler.file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
  const hasBody = handler.method !== "GET" && handler.method !== "DELETE";
  const request = new NextRequest(`http://localhost${handler.urlPath}`, {
    method: handler.method,
    headers: hasBody ? { "content-type": "application/json" } : {},
    ...(hasBody ? { body: "{}" } : {}),
  });
  const params = Promise.resolve({ id: "does-not-exist", keyId: "does-not-exist" });
  const response = await module[handler.method]!(request, { params });
  await response.body?.cancel();
  return response.status;
}

describe("RBAC matrix: every admin API route × every role", () => {
  it("has a rule for every route handler on disk, and no rule for a route that is gone", () => {
    const onDisk = handlers.map((h) => h.key).sort();
    expect(onDisk.filter((key) => !(key in ROUTE_PERMISSIONS)), "routes without a rule in lib/rbac/route-permissions.ts").toEqual([]);
    expect(Object.keys(ROUTE_PERMISSIONS).filter((key) => !onDisk.includes(key)), "rules for routes that no longer exist").toEqual([]);
    expect(onDisk.length).toBeGreaterThan(50);
  });

  it("answers 401 to an anonymous caller on every guarded route", async () => {
    session = null;
    for (const handler of handlers) {
      if (ROUTE_PERMISSIONS[handler.key] === "public") continue;
      expect(await call(handler), handler.key).toBe(401);
    }
  });

  for (const role of ROLES) {
    it(`answers 403 to ${role} exactly where the matrix denies it`, async () => {
      const user = users.get(role)!;
      session = { user: { id: user.id, email: user.email, name: role, role } };
      const mismatches: string[] = [];
      for (const handler of handlers) {
        const rule = ROUTE_PERMISSIONS[handler.key];
        if (rule === undefined || rule === "public") continue;
        const status = await call(handler);
        const allowed = can(role, rule);
        if (allowed ? status === 403 || status === 401 : status !== 403) {
          mismatches.push(`${handler.key} (${rule}): ${allowed ? "allowed" : "denied"} by the matrix, answered ${status}`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 120_000);
  }
});
