// Non-streaming relay: the body is small and needed whole to read `usage`, so it is
// buffered, then sent byte for byte with the upstream status.
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { gatewayErrors } from "../errors";
import { HEADER_COST_USD } from "../http/gateway-headers";
import { sendJson } from "../http/respond";
import { costHeaderValue, type RequestCost } from "../usage/pricing";
import { readOpenAIUsage, type TokenUsage } from "../usage/token-usage";
import type { UsageMeter } from "../usage/usage-meter";

export interface RelayResult {
  ttftMs: number | null;
}

export interface RelayBilling {
  readonly meter: UsageMeter;
  /** Prices what the meter holds; the relay needs it for the cost header / trailer. */
  readonly bill: () => RequestCost;
}

function readOpenAIChatBodyUsage(body: unknown): TokenUsage | null {
  return body !== null && typeof body === "object" ? readOpenAIUsage((body as Record<string, unknown>).usage) : null;
}

export async function relayJsonResponse(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  providerName: string,
  headers: Record<string, string>,
  billing: RelayBilling,
  /** Usage reader of the wire format relayed (default: OpenAI chat's `usage`). */
  readUsage: (body: unknown) => TokenUsage | null = readOpenAIChatBodyUsage,
): Promise<RelayResult> {
  const raw = Buffer.from(await upstream.body.arrayBuffer());
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw gatewayErrors.upstreamBadResponse(providerName, "the body is not JSON");
  }
  billing.meter.reported = readUsage(parsed);
  sendJson(res, upstream.statusCode, raw, { ...headers, [HEADER_COST_USD]: costHeaderValue(billing.bill()) });
  return { ttftMs: null };
}
