// Cost of a request from the maintained price table plus admin overrides (lib/pricing:
// priceFor + costOf, exact integer nano-dollars). This module only shapes the result for
// the log record (`cost_usd`, `cost_breakdown`) and the x-switchyard-cost-usd header.
import { costOf } from "../../lib/pricing/cost";
import type { ModelPrices, PriceSource } from "../../lib/pricing/price-table";
import { formatNanoUsd, nanoToUsd } from "../../lib/pricing/usd-units";
import type { TokenUsage } from "./token-usage";

/** `cost_breakdown` on the log record: USD per kind of token, and where the prices came from. */
export interface CostBreakdown {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  total: number;
  source: PriceSource;
  /** The override pattern or table entry that priced the request; null when unknown. */
  matched: string | null;
}

export interface RequestCost {
  readonly totalNanoUsd: number;
  readonly breakdown: CostBreakdown;
}

export function priceUsage(usage: TokenUsage, prices: ModelPrices): RequestCost {
  const cost = costOf(usage, prices);
  const part = cost.breakdown;
  return {
    totalNanoUsd: cost.totalNanoUsd,
    breakdown: {
      input: part.input.usd,
      output: part.output.usd,
      cacheRead: part.cacheRead.usd,
      cacheWrite: part.cacheWrite.usd,
      reasoning: part.reasoning.usd,
      total: nanoToUsd(cost.totalNanoUsd),
      source: cost.source,
      matched: prices.matched,
    },
  };
}

/** The x-switchyard-cost-usd header / trailer: the exact decimal of the billed amount. */
export function costHeaderValue(cost: RequestCost): string {
  return formatNanoUsd(cost.totalNanoUsd);
}

/** Decimal(20,10) in the database. */
export function formatUsd(value: number): string {
  return value.toFixed(10).replace(/\.?0+$/, "") || "0";
}
