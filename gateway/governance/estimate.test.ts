import { describe, expect, it } from "vitest";
import { estimateReservation, estimateTokensFromText } from "./estimate";

const overrides = [{ model: "local/llama", inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: null, cacheWritePerMTok: null, reasoningPerMTok: 3 }];

describe("estimateReservation", () => {
  it("counts input as characters / 4, rounded up", () => {
    expect(estimateTokensFromText("")).toBe(0);
    expect(estimateTokensFromText("abcde")).toBe(2);
  });

  it("bounds the output by max_tokens and prices output at the higher of output and reasoning", () => {
    const estimate = estimateReservation(
      { provider: "local", model: "llama", promptBytes: 4000, maxOutputTokens: 500 },
      { priceOverrides: overrides },
    );
    // 1000 × $1/M + 500 × $3/M = $0.0025
    expect(estimate).toMatchObject({ inputTokens: 1000, outputTokens: 500, costNanoUsd: 2_500_000, costUsd: 0.0025 });
    expect(estimate.prices.source).toBe("override");
  });

  it("uses the configured default when the request sets no max_tokens", () => {
    const input = { provider: "local", model: "llama", promptBytes: 0, maxOutputTokens: null };
    expect(estimateReservation(input, { priceOverrides: overrides }).outputTokens).toBe(4096);
    expect(estimateReservation(input, { priceOverrides: overrides, defaultMaxOutputTokens: 64 }).outputTokens).toBe(64);
  });

  it("reserves nothing in money for a model without a known price", () => {
    const estimate = estimateReservation({ provider: "ollama", model: "qwen3:8b", promptBytes: 2, maxOutputTokens: 10 }, { priceOverrides: [] });
    expect(estimate).toMatchObject({ costNanoUsd: 0, prices: { source: "unknown" } });
  });
});
