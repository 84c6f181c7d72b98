// Non-streaming relay: the body is small and needed whole to read `usage`, so it is
// buffered, then sent byte for byte with the upstream status.
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { gatewayErrors } from "../errors";
import { HEADER_COST_USD } from "../http/gateway-headers";
import { sendJson } from "../http/respond";
import { computeCost, formatUsd, type CostBreakdown } from "../usage/pricing";
import type { PriceOverride } from "../config/snapshot";
import { NO_USAGE, readOpenAIUsage, type TokenUsage } from "../usage/token-usage";

export interface RelayResult {
  usage: TokenUsage | null;
  cost: CostBreakdown;
  ttftMs: number | null;
}

export async function relayJsonResponse(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  providerName: string,
  headers: Record<string, string>,
  price: PriceOverride | null,
): Promise<RelayResult> {
  const raw = Buffer.from(await upstream.body.arrayBuffer());
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw gatewayErrors.upstreamBadResponse(providerName, "the body is not JSON");
  }
  const usage = parsed !== null && typeof parsed === "object" ? readOpenAIUsage((parsed as Record<string, unknown>).usage) : null;
  const cost = computeCost(price, usage ?? NO_USAGE);
  sendJson(res, upstream.statusCode, raw, { ...headers, [HEADER_COST_USD]: formatUsd(cost.total) });
  return { usage, cost, ttftMs: null };
}
