// Cost of a request from the admin price overrides in the snapshot. The maintained price
// table arrives in a later issue; until then an unknown model costs 0 rather than guessing.
import type { PriceOverride } from "../config/snapshot";
import { hasWildcard, matchGlob } from "../routing/glob";
import type { TokenUsage } from "./token-usage";

export interface CostBreakdown {
  input: number;
  output: number;
  cacheRead: number;
  reasoning: number;
  total: number;
}

/**
 * Most specific first: exact `provider/model`, then exact bare model, then the longest
 * matching glob (longest ≈ most specific, so `gpt-4o-mini*` beats `gpt-*`).
 */
export function findPrice(pricing: readonly PriceOverride[], provider: string, model: string): PriceOverride | null {
  const qualified = `${provider}/${model}`;
  const exactQualified = pricing.find((p) => p.model === qualified);
  if (exactQualified) return exactQualified;
  const exactBare = pricing.find((p) => p.model === model);
  if (exactBare) return exactBare;
  let best: PriceOverride | null = null;
  for (const p of pricing) {
    if (!hasWildcard(p.model)) continue;
    if (!matchGlob(p.model, qualified) && !matchGlob(p.model, model)) continue;
    if (!best || p.model.length > best.model.length) best = p;
  }
  return best;
}

const PER_TOKEN = 1 / 1_000_000;

export function computeCost(price: PriceOverride | null, usage: TokenUsage): CostBreakdown {
  if (!price) return { input: 0, output: 0, cacheRead: 0, reasoning: 0, total: 0 };
  // Cached and reasoning tokens are subsets of prompt/completion tokens in the OpenAI
  // usage object; they get their own rate only when one is configured.
  const cachedAtOwnRate = price.cacheReadPerMTok === null ? 0 : Math.min(usage.cacheRead, usage.input);
  const reasoningAtOwnRate = price.reasoningPerMTok === null ? 0 : Math.min(usage.reasoning, usage.output);
  const input = (usage.input - cachedAtOwnRate) * price.inputPerMTok * PER_TOKEN;
  const cacheRead = cachedAtOwnRate * (price.cacheReadPerMTok ?? 0) * PER_TOKEN;
  const output = (usage.output - reasoningAtOwnRate) * price.outputPerMTok * PER_TOKEN;
  const reasoning = reasoningAtOwnRate * (price.reasoningPerMTok ?? 0) * PER_TOKEN;
  return { input, output, cacheRead, reasoning, total: input + output + cacheRead + reasoning };
}

/** Decimal(20,10) in the database; also the x-switchyard-cost-usd header format. */
export function formatUsd(value: number): string {
  return value.toFixed(10).replace(/\.?0+$/, "") || "0";
}
