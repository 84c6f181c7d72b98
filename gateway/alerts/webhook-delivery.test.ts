import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_DELIVERY_POLICY, deliverWebhook, type DeliveryPolicy } from "./webhook-delivery";

const POLICY: DeliveryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 1_000 };

function scriptedFetch(statuses: number[]) {
  const calls: Headers[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    calls.push(new Headers(init.headers));
    return new Response(null, { status: statuses.shift() ?? 200 });
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

const ctx = (fetchImpl: typeof fetch) => ({ fetchImpl, clock: () => new Date(), policy: POLICY, shutdown: new AbortController().signal });
const request = { url: "http://receiver.test/", secret: "s", alertId: "alert-1", body: "{}" };

describe("deliverWebhook", () => {
  it("backs off exponentially, capped", () => {
    expect([2, 3, 4, 5].map((n) => backoffDelayMs(DEFAULT_DELIVERY_POLICY, n))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(POLICY, 10)).toBe(5);
  });

  it("retries 429 and 5xx up to the attempt limit", async () => {
    const { fetchImpl, calls } = scriptedFetch([429, 502, 503, 500]);
    expect(await deliverWebhook(request, ctx(fetchImpl))).toEqual({ ok: false, attempts: 4, error: "HTTP 500 (after 4 attempts)" });
    expect(calls).toHaveLength(4);
  });

  it("does not retry answers that cannot change (4xx, redirects)", async () => {
    for (const status of [400, 404, 301]) {
      const { fetchImpl, calls } = scriptedFetch([status]);
      expect(await deliverWebhook(request, ctx(fetchImpl))).toEqual({ ok: false, attempts: 1, error: `HTTP ${status} (after 1 attempt)` });
      expect(calls).toHaveLength(1);
    }
  });

  it("sends no signature header when no secret is configured", async () => {
    const { fetchImpl, calls } = scriptedFetch([200]);
    expect(await deliverWebhook({ ...request, secret: undefined }, ctx(fetchImpl))).toEqual({ ok: true, attempts: 1 });
    expect(calls[0]!.has("x-switchyard-signature")).toBe(false);
    expect(calls[0]!.get("x-switchyard-delivery")).toBe("alert-1");
  });

  it("stops waiting for the next attempt when shut down", async () => {
    const { fetchImpl, calls } = scriptedFetch([500, 500]);
    const shutdown = new AbortController();
    const pending = deliverWebhook(request, { ...ctx(fetchImpl), policy: { ...POLICY, baseDelayMs: 60_000, maxDelayMs: 60_000 }, shutdown: shutdown.signal });
    shutdown.abort();
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(calls.length).toBeLessThanOrEqual(1);
  });
});
