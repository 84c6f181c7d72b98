import { describe, expect, it } from "vitest";
import { findOverride, priceFor, type PriceOverride } from "./price-table";

function override(model: string, inputPerMTok: number, extra: Partial<PriceOverride> = {}): PriceOverride {
  return { model, inputPerMTok, outputPerMTok: inputPerMTok * 2, cacheReadPerMTok: null, cacheWritePerMTok: null, reasoningPerMTok: null, ...extra };
}

describe("priceFor", () => {
  it("finds a known OpenAI model in the genai-prices table", () => {
    const prices = priceFor("openai", "gpt-4o", []);
    expect(prices.source).toBe("genai-prices");
    expect(prices.inputPerMTok).toBeGreaterThan(0);
    expect(prices.outputPerMTok).toBeGreaterThan(prices.inputPerMTok);
    expect(prices.cacheReadPerMTok).toBeLessThan(prices.inputPerMTok);
    expect(prices.matched).toBe("openai/gpt-4o");
  });

  it("finds a dated Claude model through the provider type, with separate cache prices", () => {
    const prices = priceFor("my-anthropic", "claude-sonnet-4-20250514", [], { providerType: "anthropic" });
    expect(prices.source).toBe("genai-prices");
    expect(prices.inputPerMTok).toBeGreaterThan(0);
    expect(prices.cacheWritePerMTok).toBeGreaterThan(prices.inputPerMTok);
    expect(prices.cacheReadPerMTok).toBeLessThan(prices.inputPerMTok);
    expect(prices.reasoningPerMTok).toBe(prices.outputPerMTok);
  });

  it("lets an admin override beat the table", () => {
    const prices = priceFor("openai", "gpt-4o", [override("openai/gpt-4o", 1)]);
    expect(prices).toMatchObject({ source: "override", matched: "openai/gpt-4o", inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 1, reasoningPerMTok: 2 });
  });

  it("prices an unknown or self-hosted model at zero, saying so", () => {
    expect(priceFor("openai", "no-such-model-xyz", [])).toMatchObject({ source: "unknown", inputPerMTok: 0, outputPerMTok: 0, matched: null });
    expect(priceFor("local", "gpt-4o", [], { providerType: "ollama" }).source).toBe("unknown");
  });

  it("matches compatible servers by model name across the table", () => {
    expect(priceFor("proxy", "gpt-4o-mini", [], { providerType: "openai-compatible" }).source).toBe("genai-prices");
  });

  it("applies a long-context tier to the whole request above its threshold", () => {
    const small = priceFor("google", "gemini-2.5-pro", [], { providerType: "gemini", inputTokens: 200_000 });
    const large = priceFor("google", "gemini-2.5-pro", [], { providerType: "gemini", inputTokens: 200_001 });
    expect(large.inputPerMTok).toBeGreaterThan(small.inputPerMTok);
  });
});

describe("findOverride", () => {
  const overrides = [override("*", 9), override("gpt-*", 5), override("gpt-4o-mini*", 3), override("gpt-4o-mini", 2), override("azure/gpt-4o-mini", 1)];

  it("prefers exact provider/model, then exact model, then the longest glob", () => {
    expect(findOverride(overrides, "azure", "gpt-4o-mini")?.inputPerMTok).toBe(1);
    expect(findOverride(overrides, "openai", "gpt-4o-mini")?.inputPerMTok).toBe(2);
    expect(findOverride(overrides, "openai", "gpt-4o-mini-2024")?.inputPerMTok).toBe(3);
    expect(findOverride(overrides, "openai", "gpt-4.1")?.inputPerMTok).toBe(5);
    expect(findOverride(overrides, "mistral", "devstral")?.inputPerMTok).toBe(9);
    expect(findOverride([], "openai", "gpt-4o")).toBeNull();
  });
});
