import { describe, expect, it } from "vitest";
import { costOf, tokensCostNano } from "./cost";
import { decimalToScaledBigInt } from "./usd-units";
import type { ModelPrices } from "./price-table";
import { priceFor, UNKNOWN_PRICES } from "./price-table";

const prices: ModelPrices = {
  inputPerMTok: 3,
  outputPerMTok: 15,
  cacheReadPerMTok: 0.3,
  cacheWritePerMTok: 3.75,
  reasoningPerMTok: 20,
  source: "override",
  matched: "test",
};

describe("costOf", () => {
  it("prices cached and reasoning tokens separately from plain input and output", () => {
    const cost = costOf({ input: 10_000, cacheRead: 6_000, cacheWrite: 2_000, output: 1_000, reasoning: 400 }, prices);
    expect(cost.breakdown.input).toMatchObject({ tokens: 2_000, nanoUsd: 6_000_000 });
    expect(cost.breakdown.cacheRead).toMatchObject({ tokens: 6_000, nanoUsd: 1_800_000 });
    expect(cost.breakdown.cacheWrite).toMatchObject({ tokens: 2_000, nanoUsd: 7_500_000 });
    expect(cost.breakdown.output).toMatchObject({ tokens: 600, nanoUsd: 9_000_000 });
    expect(cost.breakdown.reasoning).toMatchObject({ tokens: 400, nanoUsd: 8_000_000 });
    expect(cost.totalNanoUsd).toBe(32_300_000);
    expect(cost.totalUsd).toBe(0.0323);
  });

  it("is exact where floats drift", () => {
    // 0.1 + 0.2 style: 1 token at $0.1/M plus 1 at $0.2/M is exactly 0.3 micro-dollars.
    const p = { ...prices, inputPerMTok: 0.1, outputPerMTok: 0.2 };
    expect(costOf({ input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, p).totalNanoUsd).toBe(300);
    // A million requests of 7 tokens at $0.075/M sum without drift: 525 n$ each.
    const single = costOf({ input: 7, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, { ...prices, inputPerMTok: 0.075 });
    expect(single.totalNanoUsd).toBe(525);
    expect(single.totalNanoUsd * 1_000_000).toBe(525_000_000);
  });

  it("rounds each part half up to whole nano-dollars and totals the rounded parts", () => {
    // 1 token × $0.0015/M = 1.5 n$ → 2; 1 token × $0.0014/M = 1.4 n$ → 1.
    const cost = costOf({ input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, { ...prices, inputPerMTok: 0.0015, outputPerMTok: 0.0014 });
    expect([cost.breakdown.input.nanoUsd, cost.breakdown.output.nanoUsd, cost.totalNanoUsd]).toEqual([2, 1, 3]);
  });

  it("costs nothing for an unknown model", () => {
    const cost = costOf({ input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, UNKNOWN_PRICES);
    expect(cost).toMatchObject({ totalNanoUsd: 0, totalUsd: 0, source: "unknown" });
  });

  it("prices a table model with non-zero input and output", () => {
    const cost = costOf({ input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, priceFor("openai", "gpt-4o", []));
    expect(cost.breakdown.input.usd).toBeGreaterThan(0);
    expect(cost.breakdown.output.usd).toBeGreaterThan(0);
    expect(cost.source).toBe("genai-prices");
  });

  it("never bills fewer tokens than reported when cached counts exceed the total", () => {
    const cost = costOf({ input: 10, output: 5, cacheRead: 20, cacheWrite: 0, reasoning: 9 }, prices);
    expect(cost.breakdown.input.tokens).toBe(0);
    expect(cost.breakdown.cacheRead.tokens).toBe(20);
    expect(cost.breakdown.output.tokens).toBe(0);
    expect(cost.breakdown.reasoning.tokens).toBe(9);
  });

  // costOf computes in doubles where that is exact and in BigInt beyond; both must agree
  // with plain BigInt arithmetic everywhere, the hand-over point and half-way cases included.
  it("matches exact BigInt arithmetic for any token count and rate, the double/BigInt boundary included", () => {
    const reference = (tokens: number, perMTok: number): number => {
      const femto = BigInt(tokens) * decimalToScaledBigInt(perMTok, 9);
      return Number((femto + 500_000n) / 1_000_000n);
    };
    const rates = [0.0015, 0.075, 0.15, 0.3, 2.5, 3.75, 15, 60, 75, 150, 600, 1234.567891];
    // A seeded LCG keeps the cases the same on every run.
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const cases: Array<[number, number]> = [];
    for (const rate of rates) {
      const scaled = Number(decimalToScaledBigInt(rate, 9));
      // Token counts whose product sits just below, at and above 2^52 and 2^53.
      for (const limit of [2 ** 52, 2 ** 53]) {
        const edge = Math.floor((limit - 500_000) / scaled);
        for (const t of [edge - 1, edge, edge + 1, edge + 2]) if (t > 0) cases.push([t, rate]);
      }
      // Counts of every magnitude from 1 to 10^13 (the half-way cases are added below).
      for (let i = 0; i < 200; i++) cases.push([1 + Math.floor(next() * 10 ** (1 + Math.floor(next() * 12))), rate]);
    }
    // Exactly half a nano-dollar (rounds up) and just under it (rounds down).
    cases.push([1, 0.0005], [3, 0.0005], [1, 0.0004999], [999_999, 0.0000005]);
    for (const [tokens, rate] of cases) expect([tokens, rate, tokensCostNano(tokens, rate)]).toEqual([tokens, rate, reference(tokens, rate)]);
  });
});
