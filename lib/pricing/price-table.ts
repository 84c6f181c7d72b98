// Per-million-token prices of a model (PRODUCT §5.7). Admin overrides win; otherwise the
// maintained table of the `@pydantic/genai-prices` registry package; otherwise "unknown",
// which prices at zero rather than guessing (the log record says so through `source`).
import { calcPrice, type ModelPrice } from "@pydantic/genai-prices";
import { hasWildcard, matchGlob } from "../matching/glob";

export type PriceSource = "override" | "genai-prices" | "unknown";

/** USD per million tokens for each kind of token, with every gap already filled. */
export interface ModelPrices {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Falls back to the input price when the table has no cache-read price. */
  readonly cacheReadPerMTok: number;
  /** Falls back to the input price when the table has no cache-write price. */
  readonly cacheWritePerMTok: number;
  /** Falls back to the output price: providers bill reasoning as output unless told otherwise. */
  readonly reasoningPerMTok: number;
  readonly source: PriceSource;
  /** The override pattern, or `<table provider>/<table model>`, that supplied the prices. */
  readonly matched: string | null;
}

/** Same shape as the gateway snapshot's price overrides (lib/validation/pricing.ts). */
export interface PriceOverride {
  /** `provider/model`, a bare model, or a glob (`*`, `?`). */
  readonly model: string;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cacheReadPerMTok: number | null;
  readonly cacheWritePerMTok: number | null;
  readonly reasoningPerMTok: number | null;
}

export interface PriceLookupOptions {
  /**
   * Adapter type of the provider (lib/validation/provider-types.ts), used to find it in the
   * table; the provider name is tried when absent.
   */
  readonly providerType?: string;
  /** Input tokens of the request: some models (Gemini) charge a higher tier above a size. */
  readonly inputTokens?: number;
  /** When the request was made: some prices depend on the date or time of day. */
  readonly at?: Date;
}

export const UNKNOWN_PRICES: ModelPrices = Object.freeze({
  inputPerMTok: 0,
  outputPerMTok: 0,
  cacheReadPerMTok: 0,
  cacheWritePerMTok: 0,
  reasoningPerMTok: 0,
  source: "unknown",
  matched: null,
});

// Switchyard provider types → provider ids of the genai-prices table. `null`: self-hosted,
// no list price. `undefined` (absent): match by model name across the whole table, because
// OpenAI/Anthropic-compatible servers are often proxies for the real models.
const TABLE_PROVIDER_IDS: Readonly<Record<string, string | null>> = {
  openai: "openai",
  "azure-openai": "azure",
  anthropic: "anthropic",
  gemini: "google",
  vertex: "google",
  bedrock: "aws",
  mistral: "mistral",
  groq: "groq",
  deepseek: "deepseek",
  xai: "x-ai",
  together: "together",
  openrouter: "openrouter",
  cohere: "cohere",
  ollama: null,
  vllm: null,
};

export function priceFor(
  provider: string,
  model: string,
  overrides: readonly PriceOverride[],
  options: PriceLookupOptions = {},
): ModelPrices {
  const override = findOverride(overrides, provider, model);
  if (override) return pricesFromOverride(override);
  return tablePrices(options.providerType ?? provider, model, options) ?? UNKNOWN_PRICES;
}

/**
 * Most specific first: exact `provider/model`, then exact bare model, then the longest
 * matching glob (longest ≈ most specific, so `gpt-4o-mini*` beats `gpt-*` beats `*`); among
 * equally long globs the first listed wins.
 */
export function findOverride(overrides: readonly PriceOverride[], provider: string, model: string): PriceOverride | null {
  const qualified = `${provider}/${model}`;
  const exactQualified = overrides.find((o) => o.model === qualified);
  if (exactQualified) return exactQualified;
  const exactBare = overrides.find((o) => o.model === model);
  if (exactBare) return exactBare;
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    if (!hasWildcard(o.model)) continue;
    if (!matchGlob(o.model, qualified) && !matchGlob(o.model, model)) continue;
    if (!best || o.model.length > best.model.length) best = o;
  }
  return best;
}

function pricesFromOverride(o: PriceOverride): ModelPrices {
  return Object.freeze({
    inputPerMTok: o.inputPerMTok,
    outputPerMTok: o.outputPerMTok,
    cacheReadPerMTok: o.cacheReadPerMTok ?? o.inputPerMTok,
    cacheWritePerMTok: o.cacheWritePerMTok ?? o.inputPerMTok,
    reasoningPerMTok: o.reasoningPerMTok ?? o.outputPerMTok,
    source: "override",
    matched: o.model,
  });
}

function tablePrices(providerKey: string, model: string, options: PriceLookupOptions): ModelPrices | null {
  const mapped = TABLE_PROVIDER_IDS[providerKey];
  if (mapped === null) return null;
  // A provider type we do not map may still be a table id itself (e.g. "fireworks").
  const entry =
    mapped !== undefined
      ? lookupTable(mapped, model, options.at)
      : (lookupTable(providerKey, model, options.at) ?? lookupTable(undefined, model, options.at));
  if (!entry) return null;
  const tokens = options.inputTokens ?? 0;
  const input = tierPrice(entry.prices.input_mtok, tokens);
  const output = tierPrice(entry.prices.output_mtok, tokens);
  // A table entry without token prices (image, audio, per-request models) is not a token price.
  if (input === undefined && output === undefined) return null;
  const inputPerMTok = input ?? 0;
  const outputPerMTok = output ?? 0;
  return Object.freeze({
    inputPerMTok,
    outputPerMTok,
    cacheReadPerMTok: tierPrice(entry.prices.cache_read_mtok, tokens) ?? inputPerMTok,
    cacheWritePerMTok: tierPrice(entry.prices.cache_write_mtok, tokens) ?? inputPerMTok,
    reasoningPerMTok: outputPerMTok,
    source: "genai-prices",
    matched: entry.matched,
  });
}

interface TableEntry {
  readonly prices: ModelPrice;
  readonly matched: string;
}

// calcPrice scans the table (~50 µs); the hot path asks for the same few models over and
// over. Keyed by UTC minute because the table's conditional prices (time-of-day discounts,
// start dates) change at most once a minute; cleared wholesale when it grows, which is
// cheaper than an LRU and only costs a rescan.
const tableCache = new Map<string, TableEntry | null>();
const TABLE_CACHE_MAX = 10_000;

function lookupTable(providerId: string | undefined, model: string, at: Date | undefined): TableEntry | null {
  const when = at ?? new Date();
  const minute = Math.floor(when.getTime() / 60_000);
  const cacheKey = `${providerId ?? ""}\u0000${model}\u0000${minute}`;
  const cached = tableCache.get(cacheKey);
  if (cached !== undefined) return cached;
  // Zero usage: we only want the resolved price row, not a cost.
  const result = calcPrice({}, model, { ...(providerId ? { providerId } : {}), timestamp: new Date(minute * 60_000) });
  const entry = result ? { prices: result.model_price, matched: `${result.provider.id}/${result.model.id}` } : null;
  if (tableCache.size >= TABLE_CACHE_MAX) tableCache.clear();
  tableCache.set(cacheKey, entry);
  return entry;
}

/**
 * A table price is either a number or `{ base, tiers: [{ start, price }] }`, where a tier's
 * price applies to the whole request once its input exceeds `start` (the table's own rule:
 * a 200,001-token Gemini 2.5 Pro prompt is billed entirely at the higher rate).
 */
function tierPrice(value: ModelPrice[string], inputTokens: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  let price = value.base;
  let highestStart = -1;
  for (const tier of value.tiers) {
    if (inputTokens > tier.start && tier.start > highestStart) {
      price = tier.price;
      highestStart = tier.start;
    }
  }
  return price;
}
