// POST /admin/routing/explain (issue 5 item 5): who may call it (admin token, or an internal
// "gateway-admin" token of an owner/admin signed with the key from the settings table), and
// what it answers: the matched rule, weighted candidates, live exclusions with reasons (here
// a provider over its own budget) and the fallback chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInternalToken, type InternalTokenClaims } from "../../lib/internal-auth/internal-token";
import { loadSigningKey } from "../../lib/internal-auth/signing-key";
import type { ExplainResponse } from "../admin/explain-route";
import { CATALOG_MODEL, PROVIDER_NAME, UPSTREAM_SECRET, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertBudget } from "./support/governance-seed";
import { insertRoutingRule } from "./support/routing-seed";
import { insertProvider } from "./support/seed";

const ADMIN_TOKEN = "explain-test-admin-token";
let h: GatewayHarness;
let signingKey = "";

beforeAll(async () => {
  h = await startGatewayHarness({
    gateway: { adminToken: ADMIN_TOKEN, governance: { redisUrl: null } },
    seed: async (db, upstream) => {
      const provider = (name: string) => insertProvider(db, { name, baseUrl: upstream.url, models: [CATALOG_MODEL], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
      const expensive = await provider("expensive");
      await provider("backup");
      // A zero budget: the provider is over it from the start, so routing must skip it.
      await insertBudget(db, { entityType: "provider", entityId: expensive, window: "1d", usd: 0 });
      await insertRoutingRule(db, {
        name: "claude-elsewhere",
        condition: 'model.startsWith("claude-")',
        targets: [
          { provider: PROVIDER_NAME, model: CATALOG_MODEL, weight: 70 },
          { provider: "expensive", model: CATALOG_MODEL, weight: 30 },
          { kind: "fallback", provider: "backup", model: CATALOG_MODEL, position: 0 },
        ],
      });
    },
  });
  signingKey = await loadSigningKey(h.db);
});

afterAll(async () => {
  await h?.close();
});

const BODY = { model: "claude-sonnet-4-5", request_type: "chat", headers: { "x-team": "a" }, virtual_key_name: "ci-bot", tags: ["ci"] };

function explain(token: string | null, body: unknown = BODY): Promise<Response> {
  return fetch(`${h.gatewayUrl}/admin/routing/explain`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
}

function internalToken(claims: Partial<Omit<InternalTokenClaims, "exp">> = {}): string {
  return signInternalToken(signingKey, { sub: "user-1", role: "admin", aud: "gateway-admin", ...claims }, 60);
}

describe("POST /admin/routing/explain: access", () => {
  it("accepts the admin token", async () => {
    expect((await explain(ADMIN_TOKEN)).status).toBe(200);
  });

  it("accepts an internal token signed with the key from the settings table (owner or admin)", async () => {
    expect((await explain(internalToken())).status).toBe(200);
    expect((await explain(internalToken({ role: "owner" }))).status).toBe(200);
  });

  it("refuses missing, wrong and other-audience tokens with 401 in the OpenAI error shape", async () => {
    for (const token of [null, "not-the-admin-token", internalToken({ aud: "live-logs" }), signInternalToken("another-key", { sub: "u", role: "admin", aud: "gateway-admin" }, 60)]) {
      const response = await explain(token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", code: expect.any(String), message: expect.any(String) } });
    }
  });

  it("refuses a member's token with 403", async () => {
    const response = await explain(internalToken({ role: "member" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { type: "permission_error", code: "insufficient_role" } });
  });

  it("rejects unknown fields and an unknown key", async () => {
    const unknown = await explain(ADMIN_TOKEN, { ...BODY, extra: 1 });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("extra");
    expect((await explain(ADMIN_TOKEN, { model: "m", virtual_key_name: "nobody" })).status).toBe(404);
  });
});

describe("POST /admin/routing/explain: answer", () => {
  it("shows the matched rule, weighted candidates, a live budget exclusion and the fallback chain", async () => {
    const response = await explain(internalToken());
    const body = (await response.json()) as ExplainResponse;
    expect(body.matchedRule).toMatchObject({ name: "claude-elsewhere", scope: "global" });
    expect(body.virtualKey).toMatchObject({ id: h.virtualKeyId, name: "ci-bot" });
    expect(body.usage).toEqual({ budget_used: 0, tokens_used: 0, requests_used: 0 });

    const byProvider = Object.fromEntries(body.candidates.map((c) => [c.provider, c]));
    expect(byProvider[PROVIDER_NAME]).toMatchObject({ role: "target", weight: 70, excluded: null, sharePercent: 100 });
    expect(byProvider.expensive).toMatchObject({ role: "target", weight: 30, excluded: { reason: "over_limit" }, sharePercent: 0 });
    expect(byProvider.expensive!.excluded!.detail).toContain("budget");
    expect(byProvider.backup).toMatchObject({ role: "fallback", excluded: null });

    expect(body.chain.map((s) => [s.role, s.provider])).toEqual([
      ["primary", PROVIDER_NAME],
      ["fallback", "backup"],
    ]);
    expect(body.warnings).toEqual([]);
  });
});
