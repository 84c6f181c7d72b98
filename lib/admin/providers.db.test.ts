// lib/admin/providers.ts on a real database: the parts the route tests do not reach —
// a hanging upstream, keys pinned by rules, and secrets kept out of audit rows.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { setMasterKeyForTesting } from "../crypto/secret-box";
import type { Actor } from "./actor";
import { AdminError } from "./errors";
import { createProvider, deleteProviderKey, testProviderConnection, updateProviderKey } from "./providers";
import { createRoutingRule } from "./routing-rules";

let db: TestDatabase;
let prisma: PrismaClient;
let hanging: Server;
let hangingUrl: string;
const admin: Actor = { userId: null, label: "admin-token", role: "admin" };

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  hanging = createServer(() => {
    // never answers
  });
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  hanging?.closeAllConnections();
  await new Promise<void>((resolve) => hanging?.close(() => resolve()));
  await prisma?.$disconnect();
  setMasterKeyForTesting(undefined);
  await db?.drop();
});

describe("provider services", () => {
  it("gives up on an upstream that does not answer within the timeout", async () => {
    const provider = await createProvider(prisma, admin, { name: "slow", type: "vllm", base_url: hangingUrl, keys: [{ name: "k", value: "slow-secret-1234" }] });
    const result = await testProviderConnection(prisma, provider.id, {}, { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, status: null, key: "k", error: "no answer within 0.2 s" });
    await expect(testProviderConnection(prisma, provider.id, { key: "other" })).rejects.toBeInstanceOf(AdminError);
  });

  it("refuses test connection for types that need signing", async () => {
    const provider = await createProvider(prisma, admin, { name: "bedrock", type: "bedrock" });
    await expect(testProviderConnection(prisma, provider.id, {})).rejects.toThrow(/not available for provider type bedrock/);
  });

  it("keeps a key a rule pins, and records a replaced secret without its value", async () => {
    const provider = await createProvider(prisma, admin, { name: "pinned", type: "openai", keys: [{ name: "main", value: "pinned-secret-1111" }] });
    const key = provider.keys[0]!;
    await createRoutingRule(prisma, admin, { name: "pin", targets: [{ provider: "pinned", model: "m", key: "main" }] });
    await expect(deleteProviderKey(prisma, admin, provider.id, key.id)).rejects.toThrow(/pinned by routing rule\(s\) pin/);

    const updated = await updateProviderKey(prisma, admin, provider.id, key.id, { value: "pinned-secret-2222", enabled: false });
    expect(updated).toMatchObject({ secret_hint: "2222", enabled: false });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityType: "provider_key", action: "update" } });
    expect(audit.after).toMatchObject({ secret: "changed", secret_hint: "2222" });
    expect(JSON.stringify(audit)).not.toMatch(/pinned-secret/);
  });
});
