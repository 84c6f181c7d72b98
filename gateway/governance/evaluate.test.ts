import { describe, expect, it } from "vitest";
import { usdToNano } from "../../lib/pricing/usd-units";
import { counterStateOf, evaluate } from "./evaluate";
import { governanceRequest, keyPolicy, limitsOf, rateLimit, usdBudget } from "./governance-fixtures";
import type { CounterItem, GovernanceLimits } from "./types";

const now = new Date("2026-03-10T12:00:30.000Z");
const request = governanceRequest({ estimatedCostNanoUsd: usdToNano(0.01) });

/** Counter state in which every item is already at its limit. */
function everythingFull(limits: GovernanceLimits): Map<string, number> {
  const reserve = evaluate(request, limits, { now });
  if (reserve.kind !== "reserve") throw new Error("expected reserve");
  return counterStateOf(reserve.items, reserve.items.map((i: CounterItem) => ({ current: i.limit, previous: 0, effective: i.limit })));
}

describe("evaluate: decision order", () => {
  const full = limitsOf([usdBudget(0.5)], [rateLimit({ maxRequests: 10 })]);
  const state = everythingFull(full);

  it("1. an inactive key is refused with 401 before anything else", () => {
    const limits = { ...full, key: keyPolicy({ active: false, allowedModels: [] }) };
    expect(evaluate(request, limits, { now, counterState: state })).toMatchObject({ status: 401, code: "key_inactive" });
  });

  it("1. an expired key is refused with 401, at the exact expiry instant", () => {
    const limits = { ...full, key: keyPolicy({ expiresAt: now }) };
    const decision = evaluate(request, limits, { now, counterState: state });
    expect(decision).toMatchObject({ status: 401, code: "key_expired" });
    const before = { ...full, key: keyPolicy({ expiresAt: new Date(now.getTime() + 1) }) };
    expect(evaluate(request, before, { now })).toMatchObject({ kind: "reserve" });
  });

  it("2. a provider or model outside the allow-lists is refused with 403 before limits", () => {
    const noProvider = { ...full, key: keyPolicy({ allowedProviders: ["anthropic"] }) };
    expect(evaluate(request, noProvider, { now, counterState: state })).toMatchObject({ status: 403, code: "provider_not_allowed" });
    const noModel = { ...full, key: keyPolicy({ allowedModels: ["gpt-4o-mini", "anthropic/*"] }) };
    expect(evaluate(request, noModel, { now, counterState: state })).toMatchObject({ status: 403, code: "model_not_allowed" });
  });

  it("2. models are denied by default and match either spelling", () => {
    expect(evaluate(request, { ...full, key: keyPolicy({ allowedModels: [] }) }, { now })).toMatchObject({ status: 403 });
    expect(evaluate(request, { ...full, key: keyPolicy({ allowedModels: ["openai/gpt-4*"] }) }, { now })).toMatchObject({ kind: "reserve" });
    expect(evaluate(request, { ...full, key: keyPolicy({ allowedModels: ["gpt-4o"] }) }, { now })).toMatchObject({ kind: "reserve" });
  });

  it("3. a rate limit (429) is reported before a budget (402)", () => {
    const decision = evaluate(request, full, { now, counterState: state });
    expect(decision).toMatchObject({ kind: "reject", status: 429, type: "rate_limit_error", limit: { kind: "rate_limit", metric: "requests" } });
  });

  it("4. a budget is refused with 402 and a message naming level, window and reset", () => {
    const budgetOnly = limitsOf([usdBudget(0.5, { entityName: "nightly-ci" })]);
    const decision = evaluate(request, budgetOnly, { now, counterState: everythingFull(budgetOnly) });
    expect(decision).toMatchObject({
      kind: "reject",
      status: 402,
      code: "budget_exceeded",
      limit: { level: "virtual_key", window: "1d", resetAt: new Date("2026-03-11T00:00:00.000Z"), used: usdToNano(0.5) },
    });
    if (decision.kind !== "reject") return;
    expect(decision.message).toContain("virtual key 'nightly-ci'");
    expect(decision.message).toContain("$0.5 budget per 1d (calendar window, UTC)");
    expect(decision.message).toContain("2026-03-11T00:00:00.000Z");
    expect(decision.retryAfterSeconds).toBeUndefined();
  });

  it("checks the narrowest level first within a kind", () => {
    const limits = limitsOf([
      usdBudget(0.5, { level: "customer", entityId: "customer-1" }),
      usdBudget(0.5, { level: "team", entityId: "team-1" }),
      usdBudget(0.5),
    ]);
    expect(evaluate(request, limits, { now, counterState: everythingFull(limits) })).toMatchObject({ limit: { level: "virtual_key" } });
  });

  it("excludes a provider over its own limit instead of failing the request", () => {
    const limits = limitsOf([], [rateLimit({ level: "provider", entityId: "openai", maxTokens: 1000 })]);
    const decision = evaluate(request, limits, { now, counterState: everythingFull(limits) });
    expect(decision).toMatchObject({ kind: "providerExcluded", provider: "openai", limit: { level: "provider", metric: "tokens" } });
  });

  it("a request larger than the whole limit gets no reset time and says why", () => {
    const limits = limitsOf([usdBudget(0.005)]);
    const decision = evaluate(request, limits, { now, counterState: new Map() });
    expect(decision).toMatchObject({ status: 402, limit: { resetAt: null } });
    if (decision.kind === "reject") expect(decision.message).toContain("more than the whole limit");
  });

  it("without counter state, returns the items to reserve in decision order", () => {
    const limits = limitsOf([usdBudget(0.5, { level: "team", entityId: "team-1" }), usdBudget(0.5)], [rateLimit({ maxConcurrent: 3, maxRequests: 5 })]);
    const evaluation = evaluate(request, limits, { now });
    if (evaluation.kind !== "reserve") throw new Error("expected reserve");
    expect(evaluation.items.map((i) => `${i.ref.kind}/${i.ref.level}/${i.metric}`)).toEqual([
      "rate_limit/virtual_key/concurrent",
      "rate_limit/virtual_key/requests",
      "budget/virtual_key/usd",
      "budget/team/usd",
    ]);
  });
});
