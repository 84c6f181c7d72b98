// Cost of one request from its token counts and the model's prices (PRODUCT §5.7).
//
// Exact arithmetic: each price is read as the decimal a person wrote (2.5, 0.075) and scaled
// to an integer number of nano-dollars per million tokens; tokens × that is an exact integer in
// femto-dollars (1e-15 USD; a double where that is exact, BigInt beyond). Each part is then
// rounded once, half up, to whole nano-dollars, and the total is the sum of the rounded
// parts, so the breakdown stored on a log record adds up to its total exactly. The total
// therefore differs from the unrounded mathematical cost by at most 2.5 nano-dollars (five
// parts × ½), and never drifts when costs are summed.
import type { ModelPrices, PriceSource } from "./price-table";
import { decimalToScaledBigInt, nanoToUsd } from "./usd-units";

/**
 * Token counts in the OpenAI convention: `input` counts every prompt token, cached ones
 * included (for Anthropic: input_tokens + cache_read_input_tokens + cache_creation_input_tokens),
 * and `output` counts every completion token, reasoning included.
 */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly reasoning: number;
}

export const COST_PARTS = ["input", "cacheRead", "cacheWrite", "output", "reasoning"] as const;
export type CostPart = (typeof COST_PARTS)[number];

export interface CostPartDetail {
  /** Tokens billed at this part's rate (input and output exclude the cached / reasoning ones). */
  readonly tokens: number;
  readonly perMTok: number;
  readonly nanoUsd: number;
  readonly usd: number;
}

export interface Cost {
  readonly totalNanoUsd: number;
  readonly totalUsd: number;
  readonly breakdown: Readonly<Record<CostPart, CostPartDetail>>;
  readonly source: PriceSource;
}

const FEMTO_PER_NANO_PER_MTOK = 1_000_000n;

export function costOf(usage: TokenCounts, prices: ModelPrices): Cost {
  const input = wholeTokens(usage.input);
  const output = wholeTokens(usage.output);
  const cacheRead = wholeTokens(usage.cacheRead);
  const cacheWrite = wholeTokens(usage.cacheWrite);
  const reasoning = wholeTokens(usage.reasoning);
  // Cached and reasoning tokens are parts of input / output. If a provider reports more of
  // them than the total (seen with some proxies), they are still billed at their own rate and
  // the plain part goes to zero — billing more than reported would be wrong, billing less too.
  const tokensByPart: Record<CostPart, number> = {
    input: Math.max(0, input - cacheRead - cacheWrite),
    cacheRead,
    cacheWrite,
    output: Math.max(0, output - reasoning),
    reasoning,
  };
  const perMTokByPart: Record<CostPart, number> = {
    input: prices.inputPerMTok,
    cacheRead: prices.cacheReadPerMTok,
    cacheWrite: prices.cacheWritePerMTok,
    output: prices.outputPerMTok,
    reasoning: prices.reasoningPerMTok,
  };
  let total = 0;
  const breakdown = {} as Record<CostPart, CostPartDetail>;
  for (const part of COST_PARTS) {
    const nano = partNano(tokensByPart[part], perMTokByPart[part]);
    total += nano;
    breakdown[part] = Object.freeze({ tokens: tokensByPart[part], perMTok: perMTokByPart[part], nanoUsd: nano, usd: nanoToUsd(nano) });
  }
  return Object.freeze({ totalNanoUsd: total, totalUsd: nanoToUsd(total), breakdown: Object.freeze(breakdown), source: prices.source });
}

/** Cost in nano-dollars of `tokens` at `perMTok` USD per million, rounded half up. */
export function tokensCostNano(tokens: number, perMTok: number): number {
  return partNano(wholeTokens(tokens), perMTok);
}

// A gateway prices every request with the same few dozen rates: the decimal-to-BigInt parse
// (string work) is done once per distinct rate. Bounded, since admin overrides can add rates.
const SCALED_RATE_CACHE_LIMIT = 4_096;

interface ScaledRate {
  readonly exact: bigint;
  /** The same integer as a double, or null where a double cannot take it exactly (or it is not positive). */
  readonly asDouble: number | null;
}

const scaledRates = new Map<number, ScaledRate>();

function nanoPerMTok(perMTok: number): ScaledRate {
  let scaled = scaledRates.get(perMTok);
  if (scaled === undefined) {
    const exact = decimalToScaledBigInt(perMTok, 9);
    const asDouble = Number(exact);
    scaled = { exact, asDouble: asDouble > 0 && Number.isSafeInteger(asDouble) ? asDouble : null };
    if (scaledRates.size >= SCALED_RATE_CACHE_LIMIT) scaledRates.clear();
    scaledRates.set(perMTok, scaled);
  }
  return scaled;
}

const FEMTO_PER_NANO = Number(FEMTO_PER_NANO_PER_MTOK);
// Up to 2^52 the double path below is exact: the product and +½ are integers below 2^53, and
// the quotient (< 2^33) has a spacing under 10^-6, so the division never rounds a fraction
// k - 10^-6 up to k — floor() of it is the integer quotient. Beyond (over ~4.5 million USD for
// one part) the BigInt path takes over.
const EXACT_DOUBLE_LIMIT = 2 ** 52;

/** Cost in nano-dollars of `tokens` at `perMTok`, rounded half up (exact integer arithmetic). */
function partNano(tokens: number, perMTok: number): number {
  if (tokens === 0 || perMTok === 0) return 0;
  const rate = nanoPerMTok(perMTok);
  if (rate.asDouble !== null) {
    // Plain doubles: this runs for every request and every estimate, and BigInt allocates.
    const shifted = tokens * rate.asDouble + FEMTO_PER_NANO / 2;
    if (shifted <= EXACT_DOUBLE_LIMIT) return Math.floor(shifted / FEMTO_PER_NANO);
  }
  const femto = BigInt(tokens) * rate.exact;
  return Number((femto + FEMTO_PER_NANO_PER_MTOK / 2n) / FEMTO_PER_NANO_PER_MTOK);
}

function wholeTokens(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
