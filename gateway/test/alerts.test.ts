// Budget alerts end to end (issue 4 item 7, PRODUCT S3): a key budget with thresholds
// [50, 70], requests through the real OpenAI client, a local webhook receiver. Each
// threshold is delivered exactly once, signed, when the key's spend crosses it, and recorded
// in `alerts`; further requests in the same window deliver nothing. Runs with in-process
// counters, and with Redis counters when REDIS_URL is set (the settle script answers the
// post-settle values in the same round trip).
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAlertSignature } from "../../lib/alerts/signature";
import { usdToNano } from "../../lib/pricing/usd-units";
import { startTestWebhookServer, type TestWebhookServer } from "../alerts/test-webhook-server";
import { PROVIDER_NAME, findLog, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertBudget, loggedCost } from "./support/governance-seed";
import { insertPrice } from "./support/seed";
import { waitFor } from "./support/wait-for";

const SECRET = "alerts-test-secret";
const BUDGET_USD = 0.3;
// The last threshold leaves room for two more reservations after it (the test sends them):
// each reserves ~$0.035 (body bytes / 4 at $1000/M plus 5 output tokens at $2000/M).
const THRESHOLDS = [50, 70];
const redisUrl = process.env.REDIS_URL;
const modes: Array<{ name: string; redisUrl: string | null }> = [{ name: "in-process counters", redisUrl: null }, ...(redisUrl ? [{ name: "Redis counters", redisUrl }] : [])];

describe.each(modes)("budget alerts ($name)", (mode) => {
  let h: GatewayHarness;
  let receiver: TestWebhookServer;
  let budgetId = "";

  beforeAll(async () => {
    receiver = await startTestWebhookServer(SECRET);
    h = await startGatewayHarness({
      gateway: {
        governance: { redisUrl: mode.redisUrl, redisKeyPrefix: `sy:test:${randomUUID()}:` },
        alerts: { webhook: { url: receiver.url, secret: SECRET }, delivery: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, timeoutMs: 2_000 } },
      },
      seed: async (db, _upstream, ids) => {
        // $1000 / $2000 per million tokens: about a cent per request, ~21 requests to 70 %.
        await insertPrice(db, `${PROVIDER_NAME}/*`, 1000, 2000);
        budgetId = await insertBudget(db, { entityType: "virtual_key", entityId: ids.virtualKeyId, window: "1d", usd: BUDGET_USD });
        await db.query(`UPDATE budgets SET alert_thresholds = $2 WHERE id = $1`, [budgetId, THRESHOLDS]);
      },
    });
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  /** One request; resolves once it is settled and its alerts (if any) delivered. */
  async function send(client: OpenAI): Promise<void> {
    const { response } = await client.chat.completions
      .create({ model: `${PROVIDER_NAME}/gpt-mock-1`, messages: [{ role: "user", content: "spend a little" }], max_tokens: 5 })
      .withResponse();
    const requestId = response.headers.get("x-request-id") ?? "";
    // The log row is queued after the settle (and so after observe()): once it is there,
    // every alert this request triggered has been started, and whenIdle() waits for it.
    await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `log row ${requestId}` });
    await h.gateway.alerts.whenIdle();
  }

  it("delivers each threshold once, signed, as spend crosses it, and nothing more in the window", async () => {
    const client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const limitNano = BigInt(usdToNano(BUDGET_USD));
    for (let sent = 0; receiver.received.length < THRESHOLDS.length; sent++) {
      expect(sent, "70 % was never reached").toBeLessThan(60);
      await send(client);
      const spentNano = BigInt(usdToNano(Number((await loggedCost(h.db, h.virtualKeyId)).total)));
      const expected = THRESHOLDS.filter((t) => spentNano * 100n >= BigInt(t) * limitNano);
      expect(receiver.received.map((d) => d.payload.threshold_percent)).toEqual(expected);
    }

    for (const delivery of receiver.received) {
      expect(verifyAlertSignature(SECRET, delivery.headers, delivery.body, 300)).toMatchObject({ ok: true });
      expect(delivery.payload).toMatchObject({ budget_id: budgetId, entity: { type: "virtual_key", id: h.virtualKeyId, name: "ci-bot" }, window: "1d", limit_usd: BUDGET_USD });
      expect(delivery.payload.used_usd / BUDGET_USD).toBeGreaterThanOrEqual(delivery.payload.threshold_percent / 100);
    }
    const { rows } = await h.db.query<{ threshold: number; delivered_at: Date | null; delivery_error: string | null }>(
      `SELECT threshold, delivered_at, delivery_error FROM alerts WHERE budget_id = $1 ORDER BY threshold`,
      [budgetId],
    );
    expect(rows.map((r) => [r.threshold, r.delivered_at !== null, r.delivery_error])).toEqual([
      [50, true, null],
      [70, true, null],
    ]);

    // Still under 100 %: more requests are served, and nothing new is delivered or recorded.
    await send(client);
    await send(client);
    expect(receiver.received).toHaveLength(2);
    expect((await h.db.query(`SELECT 1 FROM alerts WHERE budget_id = $1`, [budgetId])).rowCount).toBe(2);
  });
});
