// Non-streaming relay: the body is small and needed whole to read `usage`, so it is
// buffered, then sent byte for byte with the upstream status.
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { gatewayErrors } from "../errors";
import { HEADER_COST_USD } from "../http/gateway-headers";
import { sendJson } from "../http/respond";
import { costHeaderValue, type RequestCost } from "../usage/pricing";
import { readOpenAIUsage } from "../usage/token-usage";
import type { UsageMeter } from "../usage/usage-meter";

export interface RelayResult {
  ttftMs: number | null;
}

export interface RelayBilling {
  readonly meter: UsageMeter;
  /** Prices what the meter holds; the relay needs it for the cost header / trailer. */
  readonly bill: () => RequestCost;
}

export async function relayJsonResponse(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  providerName: string,
  headers: Record<string, string>,
  billing: RelayBilling,
): Promise<RelayResult> {
  const raw = Buffer.from(await upstream.body.arrayBuffer());
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw gatewayErrors.upstreamBadResponse(providerName, "the body is not JSON");
  }
  billing.meter.reported = parsed !== null && typeof parsed === "object" ? readOpenAIUsage((parsed as Record<string, unknown>).usage) : null;
  sendJson(res, upstream.statusCode, raw, { ...headers, [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
  return { ttftMs: null };
}
