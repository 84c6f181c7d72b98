// Governance wired into the hot path, with in-process counters: budgets stop a runaway loop
// (PRODUCT S3), request rate limits answer 429 + retry-after, a cancelled stream is billed
// for its partial output, spend survives a restart, and a budget_reset NOTIFY zeroes counters.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { startGateway } from "../server";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { keyDailyUsdNano } from "./support/governance-counters";
import { insertBudget, insertRateLimit, loggedCost } from "./support/governance-seed";
import { insertPrice, insertTeam, insertVirtualKey } from "./support/seed";
import { waitFor } from "./support/wait-for";

let h: GatewayHarness;
const keys: Record<"loop" | "rpm" | "abort" | "restart" | "reset", { id: string; secret: string }> = {} as never;
const budgetIds: Record<string, string> = {};

beforeAll(async () => {
  h = await startGatewayHarness({
    gateway: { governance: { redisUrl: null, persistIntervalMs: 100 } },
    seed: async (db) => {
      // $1000 / $2000 per million tokens: a few cents per request, so budgets bite quickly.
      await insertPrice(db, `${PROVIDER_NAME}/*`, 1000, 2000);
      const { teamId } = await insertTeam(db, "runaway-team");
      keys.loop = await insertVirtualKey(db, { name: "runaway-bot", teamId });
      await insertBudget(db, { entityType: "team", entityId: teamId, window: "1d", usd: 1 });
      await insertBudget(db, { entityType: "virtual_key", entityId: keys.loop.id, window: "1d", usd: 0.1 });
      keys.rpm = await insertVirtualKey(db, { name: "rpm-bot" });
      await insertRateLimit(db, { entityType: "virtual_key", entityId: keys.rpm.id, window: "1m", requests: 2 });
      for (const name of ["abort", "restart", "reset"] as const) {
        keys[name] = await insertVirtualKey(db, { name: `${name}-bot` });
        budgetIds[name] = await insertBudget(db, { entityType: "virtual_key", entityId: keys[name].id, window: "1d", usd: 100 });
      }
    },
  });
});

afterAll(async () => {
  await h?.close();
});

function clientFor(secret: string): OpenAI {
  return new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: secret, maxRetries: 0 });
}

async function flushedRows(keyId: string, count: number) {
  return waitFor(() => loggedCost(h.db, keyId), (c) => c.rows >= count, { what: `${count} log rows` });
}

describe("budgets (PRODUCT S3)", () => {
  it("stops a runaway loop at the key's daily budget with a 402 naming the key and window", async () => {
    const client = clientFor(keys.loop.secret);
    let sent = 0;
    let refusal: unknown = null;
    for (; sent < 100 && refusal === null; sent++) {
      try {
        await client.chat.completions.create({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: "loop" }], max_tokens: 10 });
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(OpenAI.APIError);
    const error = refusal as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    expect(error.type).toBe("budget_exceeded");
    expect(error.message).toContain("virtual key 'runaway-bot'");
    expect(error.message).toContain("1d (calendar window, UTC)");
    expect(error.message).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
    expect(sent).toBeGreaterThan(2);

    // Every estimate bounds its request (max_tokens set, input overestimated): no overshoot.
    const { total } = await flushedRows(keys.loop.id, sent);
    expect(Number(total)).toBeGreaterThan(0);
    expect(usdToNano(Number(total))).toBeLessThanOrEqual(usdToNano(0.1));
  });
});

describe("rate limits", () => {
  it("answers 429 with retry-after once the requests per minute are used", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let body: unknown = null;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${h.gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.rpm.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
      });
      statuses.push(response.status);
      retryAfter = response.headers.get("retry-after");
      body = await response.json();
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(body).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limit_exceeded" } });
    expect((body as { error: { message: string } }).error.message).toContain("virtual key 'rpm-bot' allows 2 requests per 1m (rolling window)");
  });
});

describe("streams cut short", () => {
  it("bills the partial output of a stream the client disconnected from", async () => {
    const controller = new AbortController();
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const { data: stream, response } = await clientFor(keys.abort.secret)
      .chat.completions.create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.slowStream}`, messages: [{ role: "user", content: words }], stream: true }, { signal: controller.signal })
      .withResponse();
    let received = "";
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? "";
      if (received.includes("w2")) controller.abort();
    }
    const log = await waitFor(() => findLog(h.db, response.headers.get("x-request-id") ?? ""), (row) => row !== undefined, { what: "aborted log row" });
    expect(log?.status).toBe(499);
    expect(log?.output_tokens).toBeGreaterThan(0);
    expect(Number(log?.cost_usd)).toBeGreaterThan(0);
    // The counters hold exactly what the log row bills.
    expect(await keyDailyUsdNano(h.gateway, keys.abort.id)).toBe(usdToNano(Number(log?.cost_usd)));
  });
});

describe("restarts and resets", () => {
  it("still counts spend from before a restart (in-process counters seeded from the database)", async () => {
    const client = clientFor(keys.restart.secret);
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: `before ${i}` }], max_tokens: 10 });
    const { total } = await flushedRows(keys.restart.id, 3);
    expect(Number(total)).toBeGreaterThan(0);

    const restarted = await startGateway({ databaseUrl: h.database.url, port: 0, host: "127.0.0.1", governance: { redisUrl: null } });
    try {
      expect(await keyDailyUsdNano(restarted, keys.restart.id)).toBe(usdToNano(Number(total)));
    } finally {
      await restarted.close();
    }
  });

  it("zeroes a budget's counters on NOTIFY budget_reset and records the period", async () => {
    const client = clientFor(keys.reset.secret);
    await client.chat.completions.create({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: "spend" }], max_tokens: 10 });
    const spent = await waitFor(() => keyDailyUsdNano(h.gateway, keys.reset.id), (v) => v > 0, { what: "spend in counters" });
    // budget_periods is written off the hot path with the counters' value.
    await waitFor(
      async () => (await h.db.query<{ used_usd: string }>(`SELECT used_usd::text FROM budget_periods WHERE budget_id = $1`, [budgetIds.reset])).rows[0]?.used_usd,
      (used) => used !== undefined && usdToNano(Number(used)) === spent,
      { what: "budget period row" },
    );

    await h.db.query(`UPDATE budget_periods SET reset_at = now() WHERE budget_id = $1`, [budgetIds.reset]);
    await waitFor(
      async () => {
        await h.db.query(`SELECT pg_notify('budget_reset', $1)`, [JSON.stringify({ budgetId: budgetIds.reset })]);
        return keyDailyUsdNano(h.gateway, keys.reset.id);
      },
      (v) => v === 0,
      { what: "counters reset" },
    );
  });
});
