import { describe, expect, it } from "vitest";
import { applicableLimits, indexLimits } from "./applicable-limits";
import { governanceRequest, rateLimit, usdBudget } from "./governance-fixtures";

describe("applicableLimits", () => {
  const index = indexLimits({
    budgets: [
      usdBudget(1),
      usdBudget(5, { level: "team", entityId: "team-1" }),
      usdBudget(5, { level: "team", entityId: "team-2" }),
      usdBudget(50, { level: "customer", entityId: "customer-1" }),
      usdBudget(9, { level: "model", entityId: "gpt-4o*" }),
      usdBudget(9, { level: "model", entityId: "anthropic/*" }),
    ],
    rateLimits: [rateLimit({ level: "provider", entityId: "openai", maxRequests: 100 }), rateLimit({ level: "provider", entityId: "groq", maxRequests: 1 })],
  });

  it("collects every level the request belongs to, and model globs on either spelling", () => {
    const limits = applicableLimits(governanceRequest(), index);
    expect(limits.budgets.map((b) => `${b.level}:${b.entityId}`).sort()).toEqual(["customer:customer-1", "model:gpt-4o*", "team:team-1", "virtual_key:key-1"]);
    expect(limits.rateLimits.map((r) => r.entityId)).toEqual(["openai"]);
  });

  it("skips levels the request has no owner for", () => {
    const limits = applicableLimits(governanceRequest({ teamId: null, customerId: null, provider: "anthropic", model: "claude-x" }), index);
    expect(limits.budgets.map((b) => `${b.level}:${b.entityId}`)).toEqual(["virtual_key:key-1", "model:anthropic/*"]);
  });
});
