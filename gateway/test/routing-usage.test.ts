// Routing rules on usage (issue 5 item 1): `budget_used > 0.5` sends a key's requests to a
// cheaper target once the key has spent more than half of its budget. The usage is read from
// the governance counters before routing — only because a rule mentions the variable.
// In-process counters, and Redis counters when REDIS_URL is set.
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { CATALOG_MODEL, PROVIDER_NAME, UPSTREAM_SECRET, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertBudget, loggedCost } from "./support/governance-seed";
import { insertRoutingRule } from "./support/routing-seed";
import { insertPrice, insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

const BUDGET_USD = 0.2;
const redisUrl = process.env.REDIS_URL;
const modes: Array<{ name: string; redisUrl: string | null }> = [{ name: "in-process counters", redisUrl: null }, ...(redisUrl ? [{ name: "Redis counters", redisUrl }] : [])];

describe.each(modes)("budget_used in routing rules ($name)", (mode) => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness({
      gateway: { governance: { redisUrl: mode.redisUrl, redisKeyPrefix: `sy:test:${randomUUID()}:` } },
      seed: async (db, upstream, ids) => {
        await insertProvider(db, { name: "cheap", baseUrl: upstream.url, models: [CATALOG_MODEL], keys: [{ name: "main", secret: UPSTREAM_SECRET }] });
        await insertPrice(db, `${PROVIDER_NAME}/*`, 1000, 2000);
        await insertPrice(db, "cheap/*", 100, 200);
        await insertBudget(db, { entityType: "virtual_key", entityId: ids.virtualKeyId, window: "1d", usd: BUDGET_USD });
        await insertRoutingRule(db, { name: "save-money", condition: "budget_used > 0.5", targets: [{ provider: "cheap", model: CATALOG_MODEL }] });
      },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("routes to the cheaper target once more than half of the key's budget is spent", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const halfNano = usdToNano(BUDGET_USD) / 2;
    const providers: string[] = [];
    for (let i = 0; i < 40 && !providers.includes("cheap"); i++) {
      const spentBefore = usdToNano(Number((await loggedCost(h.db, h.virtualKeyId)).total));
      const { response } = await client.chat.completions
        .create({ model: `${PROVIDER_NAME}/${CATALOG_MODEL}`, messages: [{ role: "user", content: "route me" }], max_tokens: 5 })
        .withResponse();
      const provider = response.headers.get("x-switchyard-provider") ?? "";
      providers.push(provider);
      expect(provider, `request ${i + 1}, ${spentBefore} of ${usdToNano(BUDGET_USD)} nano-USD spent before it`).toBe(spentBefore > halfNano ? "cheap" : PROVIDER_NAME);
      // Settled (and counted) before the next request reads the usage.
      const requestId = response.headers.get("x-request-id") ?? "";
      await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `log row ${requestId}` });
    }
    expect(providers[0]).toBe(PROVIDER_NAME);
    expect(providers.at(-1)).toBe("cheap");
  });
});
