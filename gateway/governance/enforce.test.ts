import { describe, expect, it } from "vitest";
import { priceFor } from "../../lib/pricing/price-table";
import { usdToNano } from "../../lib/pricing/usd-units";
import { buildCounterItems } from "./counter-items";
import { actualUsageOf, createEnforcer } from "./enforce";
import { estimateTokensFromText } from "./estimate";
import { governanceRequest, limitsOf, rateLimit, usdBudget } from "./governance-fixtures";
import { MemoryCounters } from "./memory-counters";

const now = new Date("2026-03-10T12:00:00.000Z");

describe("createEnforcer", () => {
  it("bills the partial output of a cancelled stream", async () => {
    const counters = new MemoryCounters();
    const enforcer = createEnforcer({ counters, clock: () => now });
    const limits = limitsOf([usdBudget(1)]);
    const request = governanceRequest({ estimatedCostNanoUsd: usdToNano(0.05) });
    const decision = await enforcer.admit(request, limits);
    if (decision.kind !== "allow") throw new Error("expected allow");
    // The client hung up after 1,200 characters and the provider sent no usage chunk.
    const prices = priceFor("x", "y", [{ model: "*", inputPerMTok: 10, outputPerMTok: 30, cacheReadPerMTok: null, cacheWritePerMTok: null, reasoningPerMTok: null }]);
    const partial = { input: 100, output: estimateTokensFromText("x".repeat(1200)), cacheRead: 0, cacheWrite: 0, reasoning: 0 };
    await enforcer.settle(decision.reservation, actualUsageOf(partial, prices));
    const [usage] = await counters.usage(buildCounterItems(request, limits, now), now);
    // 100 × $10/M + 300 × $30/M = $0.01
    expect(usage?.current).toBe(usdToNano(0.01));
  });

  it("excludes a provider whose own counter is full, leaving other providers usable", async () => {
    const enforcer = createEnforcer({ counters: new MemoryCounters(), clock: () => now });
    const limits = limitsOf([], [rateLimit({ level: "provider", entityId: "openai", maxRequests: 1, window: "1m", alignment: "calendar" })]);
    expect(await enforcer.admit(governanceRequest(), limits)).toMatchObject({ kind: "allow" });
    expect(await enforcer.admit(governanceRequest(), limits)).toMatchObject({
      kind: "providerExcluded",
      provider: "openai",
      retryAfterSeconds: 60,
      limit: { level: "provider", metric: "requests", resetAt: new Date("2026-03-10T12:01:00.000Z") },
    });
    const otherLimits = limitsOf([], []);
    expect(await enforcer.admit(governanceRequest({ provider: "local" }), otherLimits)).toMatchObject({ kind: "allow" });
  });

  it("never touches counters for a request refused by steps 1–2", async () => {
    const counters = new MemoryCounters();
    const enforcer = createEnforcer({ counters, clock: () => now });
    const limits = limitsOf([usdBudget(1)], [], { id: "key-1", name: "k", active: true, expiresAt: null, allowedModels: [], allowedProviders: null });
    expect(await enforcer.admit(governanceRequest(), limits)).toMatchObject({ status: 403 });
    const [usage] = await counters.usage(buildCounterItems(governanceRequest(), limits, now), now);
    expect(usage?.current).toBe(0);
  });
});
