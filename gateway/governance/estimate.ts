// What a request reserves before it is sent (issue 4 §4): an input estimate plus an output
// bounded by `max_tokens`, priced like the real thing.
//
// Input tokens ≈ UTF-8 bytes / 4 of the client's request body (rounded up). Four characters
// per token is the usual rule of thumb for English text with BPE tokenizers and needs no
// tokenizer on the hot path. The body is measured as it arrived rather than re-serializing its
// messages for every attempt: it also holds the model name and parameters (a few tokens too
// many) and JSON punctuation (overcounts), while counting bytes rather than characters moves
// non-Latin scripts (2–3 bytes a character, about a token each) closer to their real count;
// code and images still undercount. The error only matters for what is reserved: settlement
// replaces the estimate with the actual usage, and the overshoot bound (enforce.ts) is stated
// in terms of such underestimates.
//
// Output tokens = max_tokens when the request sets it — an upper bound, so the output part of
// the estimate never undercounts — otherwise a configurable default, which can.
import { costOf } from "../../lib/pricing/cost";
import { priceFor, type ModelPrices, type PriceOverride } from "../../lib/pricing/price-table";
import { nanoToUsd } from "../../lib/pricing/usd-units";

export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

const CHARS_PER_TOKEN = 4;

export interface EstimateInput {
  readonly provider: string;
  /** Adapter type of the provider, to find its prices in the table (price-table.ts). */
  readonly providerType?: string;
  readonly model: string;
  /** Size of the client's request body (messages, system prompt, tools and parameters), UTF-8 bytes. */
  readonly promptBytes: number;
  /** `max_tokens` / `max_completion_tokens` / `max_output_tokens` of the request. */
  readonly maxOutputTokens: number | null | undefined;
}

export interface EstimateOptions {
  readonly priceOverrides: readonly PriceOverride[];
  readonly defaultMaxOutputTokens?: number;
  readonly now?: Date;
}

export interface ReservationEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costNanoUsd: number;
  readonly costUsd: number;
  readonly prices: ModelPrices;
}

export function estimateTokensFromText(text: string): number {
  return estimateTokensFromChars(text.length);
}

/** Same rule, for text that was counted but not kept (a relayed stream's output). */
export function estimateTokensFromChars(chars: number): number {
  return Math.ceil(Math.max(0, chars) / CHARS_PER_TOKEN);
}

export function estimateReservation(input: EstimateInput, options: EstimateOptions): ReservationEstimate {
  const inputTokens = estimateTokensFromChars(input.promptBytes);
  const requested = input.maxOutputTokens;
  const outputTokens =
    typeof requested === "number" && Number.isFinite(requested) && requested > 0
      ? Math.ceil(requested)
      : (options.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
  const prices = priceFor(input.provider, input.model, options.priceOverrides, {
    ...(input.providerType === undefined ? {} : { providerType: input.providerType }),
    inputTokens,
    ...(options.now === undefined ? {} : { at: options.now }),
  });
  // Input at the plain input rate (not the cheaper cache-read one: we cannot know what will
  // hit the cache); output at the higher of the output and reasoning rates, because a
  // reasoning model may spend all of max_tokens on reasoning.
  const pessimistic: ModelPrices = { ...prices, outputPerMTok: Math.max(prices.outputPerMTok, prices.reasoningPerMTok) };
  const cost = costOf({ input: inputTokens, output: outputTokens, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, pessimistic);
  return { inputTokens, outputTokens, costNanoUsd: cost.totalNanoUsd, costUsd: nanoToUsd(cost.totalNanoUsd), prices };
}
