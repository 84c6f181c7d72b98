import { describe, expect, it } from "vitest";
import { crossedThresholds, HandledThresholds, normalizeThresholds } from "./thresholds";

const T = [80, 95, 100];

describe("crossedThresholds", () => {
  it("returns nothing below the lowest threshold", () => {
    expect(crossedThresholds({ usedUsd: 7.99, usedTokens: 0, limitUsd: 10 }, T)).toEqual([]);
  });

  it("counts a threshold as crossed at exactly its value", () => {
    expect(crossedThresholds({ usedUsd: 8, usedTokens: 0, limitUsd: 10 }, T)).toEqual([80]);
  });

  it("returns every threshold passed in one jump", () => {
    expect(crossedThresholds({ usedUsd: 9.6, usedTokens: 0, limitUsd: 10 }, T)).toEqual([80, 95]);
    expect(crossedThresholds({ usedUsd: 25, usedTokens: 0, limitUsd: 10 }, T)).toEqual([80, 95, 100]);
  });

  it("compares exactly where floating point would not (0.29 × 100 = 28.999…)", () => {
    expect(crossedThresholds({ usedUsd: 0.29, usedTokens: 0, limitUsd: 1 }, [29])).toEqual([29]);
  });

  it("stays exact at the boundary of large limits, whose products pass 2^53", () => {
    // $1,000,000 = 1e15 nano-dollars: 80 % of it is 8e14, one nano-dollar below is not 80 %.
    expect(crossedThresholds({ usedUsd: 800_000, usedTokens: 0, limitUsd: 1_000_000 }, T)).toEqual([80]);
    expect(crossedThresholds({ usedUsd: 799_999.999999999, usedTokens: 0, limitUsd: 1_000_000 }, T)).toEqual([]);
    // Tokens: 80 % of 3,000,000,000,001 is 2,400,000,000,000.8, so 2,400,000,000,000 is short of it.
    expect(crossedThresholds({ usedUsd: 0, usedTokens: 2_400_000_000_000, limitTokens: 3_000_000_000_001 }, T)).toEqual([]);
    expect(crossedThresholds({ usedUsd: 0, usedTokens: 2_400_000_000_001, limitTokens: 3_000_000_000_001 }, T)).toEqual([80]);
    // Products 100 apart at ~9e17, where doubles are 128 apart: decided exactly, not in floating point.
    const limit = Number.MAX_SAFE_INTEGER;
    expect(crossedThresholds({ usedUsd: 0, usedTokens: limit - 1, limitTokens: limit }, [100])).toEqual([]);
    expect(crossedThresholds({ usedUsd: 0, usedTokens: limit, limitTokens: limit }, [100])).toEqual([100]);
  });

  it("uses whichever of the USD and token limits is further along", () => {
    expect(crossedThresholds({ usedUsd: 1, usedTokens: 960, limitUsd: 10, limitTokens: 1000 }, T)).toEqual([80, 95]);
    expect(crossedThresholds({ usedUsd: 0, usedTokens: 800, limitTokens: 1000 }, T)).toEqual([80]);
  });

  it("ignores absent and non-positive limits", () => {
    expect(crossedThresholds({ usedUsd: 100, usedTokens: 100 }, T)).toEqual([]);
    expect(crossedThresholds({ usedUsd: 0, usedTokens: 0, limitUsd: 0 }, T)).toEqual([]);
  });

  it("ignores invalid thresholds and an empty list", () => {
    expect(crossedThresholds({ usedUsd: 10, usedTokens: 0, limitUsd: 10 }, [])).toEqual([]);
    expect(normalizeThresholds([100, 80, 80, -5, 0, 12.5, Number.NaN, 150])).toEqual([80, 100, 150]);
  });
});

describe("HandledThresholds", () => {
  it("hands each threshold out once per window", () => {
    const cache = new HandledThresholds();
    expect(cache.claim("b1", 1000, [80])).toEqual([80]);
    expect(cache.claim("b1", 1000, [80])).toEqual([]);
    expect(cache.claim("b1", 1000, [80, 95])).toEqual([95]);
    expect(cache.claim("b1", 1000, [80, 95])).toEqual([]);
  });

  it("starts over in a new window and ignores late observations of the old one", () => {
    const cache = new HandledThresholds();
    cache.claim("b1", 1000, [80, 95]);
    expect(cache.claim("b1", 2000, [80])).toEqual([80]);
    expect(cache.claim("b1", 1000, [80, 95, 100])).toEqual([]);
    expect(cache.size).toBe(1);
  });

  it("keeps budgets apart and can release a failed claim", () => {
    const cache = new HandledThresholds();
    expect(cache.claim("b1", 1000, [80])).toEqual([80]);
    expect(cache.claim("b2", 1000, [80])).toEqual([80]);
    cache.release("b1", 1000, [80]);
    expect(cache.claim("b1", 1000, [80])).toEqual([80]);
  });
});
