import { describe, expect, it } from "vitest";
import type { PriceOverride } from "../config/snapshot";
import { computeCost, findPrice, formatUsd } from "./pricing";

function price(model: string, inputPerMTok: number, outputPerMTok: number, extra: Partial<PriceOverride> = {}): PriceOverride {
  return { model, inputPerMTok, outputPerMTok, cacheReadPerMTok: null, cacheWritePerMTok: null, reasoningPerMTok: null, ...extra };
}

const table = [price("gpt-*", 1, 1), price("gpt-4o-mini*", 2, 2), price("gpt-4o", 3, 3), price("openai/gpt-4o", 4, 4), price("*/llama*", 5, 5)];

describe("findPrice", () => {
  it("prefers exact provider/model, then exact bare model, then the longest glob", () => {
    expect(findPrice(table, "openai", "gpt-4o")?.inputPerMTok).toBe(4);
    expect(findPrice(table, "azure", "gpt-4o")?.inputPerMTok).toBe(3);
    expect(findPrice(table, "azure", "gpt-4o-mini-2024")?.inputPerMTok).toBe(2);
    expect(findPrice(table, "azure", "gpt-5")?.inputPerMTok).toBe(1);
    expect(findPrice(table, "local", "llama-3")?.inputPerMTok).toBe(5);
  });

  it("returns null for an unknown model", () => {
    expect(findPrice(table, "mistral", "devstral")).toBeNull();
  });
});

describe("computeCost", () => {
  const usage = { input: 1000, output: 500, cacheRead: 200, cacheWrite: 0, reasoning: 100 };

  it("charges per million tokens", () => {
    const cost = computeCost(price("m", 2.5, 10), usage);
    expect(cost.input).toBeCloseTo(0.0025, 12);
    expect(cost.output).toBeCloseTo(0.005, 12);
    expect(cost.total).toBeCloseTo(0.0075, 12);
  });

  it("uses cache-read and reasoning rates only when configured", () => {
    const cost = computeCost(price("m", 2, 10, { cacheReadPerMTok: 1, reasoningPerMTok: 20 }), usage);
    expect(cost.input).toBeCloseTo(800 * 2e-6, 12);
    expect(cost.cacheRead).toBeCloseTo(200 * 1e-6, 12);
    expect(cost.output).toBeCloseTo(400 * 10e-6, 12);
    expect(cost.reasoning).toBeCloseTo(100 * 20e-6, 12);
  });

  it("is zero without a price", () => {
    expect(computeCost(null, usage).total).toBe(0);
  });
});

describe("formatUsd", () => {
  it("keeps up to 10 decimals without trailing zeros", () => {
    expect(formatUsd(0)).toBe("0");
    expect(formatUsd(0.0075)).toBe("0.0075");
    expect(formatUsd(1.23456789012345)).toBe("1.2345678901");
  });
});
