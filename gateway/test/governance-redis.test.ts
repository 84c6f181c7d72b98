// Two gateway replicas sharing Redis counters (issue 4 "Done means"): 200 concurrent
// requests against a key with a $0.50 daily budget.
//
// Overshoot bound (gateway/governance/enforce.ts): settled spend ≤ budget + Σ over requests
// in flight at the last successful reservation of max(0, actual − estimate). Here every
// estimate is an upper bound (max_tokens set; chars/4 overestimates the mock's input count),
// so the bound is the budget itself: total ≤ $0.50 exactly (costs are exact nano-dollars).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { startGateway, type RunningGateway } from "../server";
import { PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { keyDailyUsdNano } from "./support/governance-counters";
import { insertBudget, loggedCost } from "./support/governance-seed";
import { insertPrice } from "./support/seed";
import { waitFor } from "./support/wait-for";

const redisUrl = process.env.REDIS_URL;
const prefix = `sy:test:${randomUUID()}:`;
let h: GatewayHarness;
let second: RunningGateway;

if (!redisUrl) console.warn("governance-redis.test.ts skipped: REDIS_URL is not set (CI sets it)");

describe.skipIf(!redisUrl)("two replicas sharing Redis", () => {
  beforeAll(async () => {
    h = await startGatewayHarness({
      gateway: { governance: { redisUrl: redisUrl ?? null, redisKeyPrefix: prefix } },
      seed: async (db, _upstream, ids) => {
        await insertPrice(db, `${PROVIDER_NAME}/*`, 1000, 2000);
        await insertBudget(db, { entityType: "virtual_key", entityId: ids.virtualKeyId, window: "1d", usd: 0.5 });
      },
    });
    second = await startGateway({ databaseUrl: h.database.url, port: 0, host: "127.0.0.1", logFlushIntervalMs: 50, governance: { redisUrl: redisUrl ?? null, redisKeyPrefix: prefix } });
  });

  afterAll(async () => {
    await second?.close();
    await h?.close();
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      const stale = await redis.keys(`${prefix}*`);
      if (stale.length > 0) await redis.del(...stale);
      await redis.quit();
    }
  });

  it("holds a $0.50 budget under 200 concurrent requests: only 402s, exact counters", async () => {
    const urls = [h.gatewayUrl, `http://127.0.0.1:${second.port}`];
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const client = new OpenAI({ baseURL: `${urls[i % 2]}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
        try {
          await client.chat.completions.create({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: `request ${i}` }], max_tokens: 10 });
          return 200;
        } catch (error) {
          return error instanceof OpenAI.APIError ? (error.status ?? 0) : -1;
        }
      }),
    );
    const ok = results.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(results.filter((s) => s !== 200 && s !== 402)).toEqual([]);
    expect(results.filter((s) => s === 402).length).toBeGreaterThan(0);

    const { total } = await waitFor(() => loggedCost(h.db, h.virtualKeyId), (c) => c.rows >= 200, { what: "200 log rows" });
    expect(usdToNano(Number(total))).toBeLessThanOrEqual(usdToNano(0.5));
    // Shared counter == sum of the key's log rows, whichever replica served them.
    expect(await keyDailyUsdNano(h.gateway, h.virtualKeyId)).toBe(usdToNano(Number(total)));
    expect(await keyDailyUsdNano(second, h.virtualKeyId)).toBe(usdToNano(Number(total)));
  });
});
