import { describe, expect, it } from "vitest";
import { buildCounterItems, limitKeyBase } from "./counter-items";
import { governanceRequest, rateLimit, tokenBudget, usdBudget } from "./governance-fixtures";

const request = governanceRequest({ estimatedInputTokens: 250, maxOutputTokens: 750, estimatedCostNanoUsd: 1234 });

describe("buildCounterItems", () => {
  it("puts the window start in the key, so a new window is a new counter", () => {
    const limits = { budgets: [usdBudget(2, { window: "1w" })], rateLimits: [] };
    const sunday = buildCounterItems(request, limits, new Date("2026-03-15T23:59:59.999Z"))[0];
    const monday = buildCounterItems(request, limits, new Date("2026-03-16T00:00:00.000Z"))[0];
    expect(sunday?.key).toBe(`b:virtual_key:key-1:1w:calendar:usd:${Date.parse("2026-03-09T00:00:00.000Z")}`);
    expect(monday?.key).toBe(`b:virtual_key:key-1:1w:calendar:usd:${Date.parse("2026-03-16T00:00:00.000Z")}`);
    expect(sunday).toMatchObject({ amount: 1234, limit: 2_000_000_000, previousKey: null, bucketEndMs: Date.parse("2026-03-16T00:00:00.000Z") });
  });

  it("keeps counters for at least two windows (rolling windows read the previous one)", () => {
    const [item] = buildCounterItems(request, { budgets: [tokenBudget(10, { window: "1M" })], rateLimits: [] }, new Date("2026-02-10T00:00:00Z"));
    expect(item?.ttlMs).toBeGreaterThanOrEqual(2 * 28 * 86_400_000);
    expect(item?.amount).toBe(1000);
  });

  it("weights the previous bucket of a rolling window by the part still inside the window", () => {
    const limits = { budgets: [], rateLimits: [rateLimit({ maxTokens: 5000, window: "1h", alignment: "rolling" })] };
    const [item] = buildCounterItems(request, limits, new Date("2026-03-10T12:15:00.000Z"));
    expect(item).toMatchObject({
      key: `r:virtual_key:key-1:1h:rolling:tokens:${Date.parse("2026-03-10T12:00:00Z")}`,
      previousKey: `r:virtual_key:key-1:1h:rolling:tokens:${Date.parse("2026-03-10T11:00:00Z")}`,
      previousWeightPpm: 750_000,
    });
  });

  it("encodes entity ids so globs and colons cannot collide", () => {
    const ref = { kind: "budget", metric: "usd", level: "model", entityId: "openai/*:x", window: "1d", alignment: "calendar", limit: 1 } as const;
    expect(limitKeyBase(ref)).toBe("b:model:openai%2F*%3Ax:1d:calendar:usd");
  });
});
