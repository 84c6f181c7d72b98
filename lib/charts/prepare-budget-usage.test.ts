import { describe, expect, it } from "vitest";
import { prepareBudgetUsage } from "./prepare-budget-usage";

describe("prepareBudgetUsage", () => {
  it("shows the tighter of the USD and token limits", () => {
    const bar = prepareBudgetUsage({ usd: 10, tokens: 1000, used_usd: 2, used_tokens: 900 });
    expect(bar.percent).toBe(90);
    expect(bar.tone).toBe("warn");
    expect(bar.label).toBe("$2.00 of $10.00 · 900 of 1,000 tokens");
  });

  it("clamps the bar width on an overrun but keeps the real percent", () => {
    const bar = prepareBudgetUsage({ usd: 5, tokens: null, used_usd: 7.5, used_tokens: 0 });
    expect(bar.percent).toBe(150);
    expect(bar.width).toBe(100);
    expect(bar.tone).toBe("over");
  });

  it("treats any use of a zero budget as over", () => {
    expect(prepareBudgetUsage({ usd: 0, tokens: null, used_usd: 0.01, used_tokens: 0 }).tone).toBe("over");
  });

  it("has no percent without a limit", () => {
    expect(prepareBudgetUsage({ usd: null, tokens: null, used_usd: 3, used_tokens: 10 })).toMatchObject({ percent: null, width: 0, label: "no limit" });
  });
});
