import { describe, expect, it } from "vitest";
import type { ModelPrices } from "../../lib/pricing/price-table";
import { costHeaderValue, formatUsd, priceUsage } from "./pricing";

const prices: ModelPrices = { inputPerMTok: 2, outputPerMTok: 10, cacheReadPerMTok: 1, cacheWritePerMTok: 2, reasoningPerMTok: 20, source: "override", matched: "mockai/*" };

describe("priceUsage", () => {
  it("prices each kind of token separately and says where the prices came from", () => {
    const cost = priceUsage({ input: 1000, output: 500, cacheRead: 200, cacheWrite: 0, reasoning: 100 }, prices);
    expect(cost.breakdown).toMatchObject({ input: 0.0016, cacheRead: 0.0002, output: 0.004, reasoning: 0.002, source: "override", matched: "mockai/*" });
    expect(cost.totalNanoUsd).toBe(1_600_000 + 200_000 + 4_000_000 + 2_000_000);
    expect(cost.breakdown.total).toBe(0.0078);
    expect(costHeaderValue(cost)).toBe("0.0078");
  });
});

describe("formatUsd", () => {
  it("keeps up to 10 decimals without trailing zeros", () => {
    expect(formatUsd(0)).toBe("0");
    expect(formatUsd(0.0075)).toBe("0.0075");
    expect(formatUsd(1.23456789012345)).toBe("1.2345678901");
  });
});
