// Money on the hot path is counted in integer nano-dollars (1e-9 USD). Floats drift when
// millions of small costs are added (0.1 + 0.2 !== 0.3); integers do not, and 1e-9 is the
// precision of the Decimal(20,10) columns rounded to what a single token can cost
// (the cheapest list prices are around $0.01 per million tokens = 10 nano-dollars per token).
// Integers stay exact in a double, and in Redis Lua, up to 2^53 nano-dollars ≈ $9 million.

export const NANO_PER_USD = 1_000_000_000;

/** Largest amount of nano-dollars that stays exact as a JavaScript number (≈ $9,007,199). */
export const MAX_SAFE_NANO_USD = Number.MAX_SAFE_INTEGER;

/** Below this many nano-dollars (≈ $563,000) usdToNano may take its fast path. */
const FAST_PATH_LIMIT_NANO = 2 ** 49;

/**
 * Converts a USD amount to nano-dollars, rounding half away from zero. Goes through the
 * decimal text of the number so that e.g. 0.000000015 (not exactly representable) becomes
 * 15, not 14.999999999.
 */
export function usdToNano(usd: number): number {
  // Fast path (this runs several times per request): the binary product is off from the exact
  // decimal one by at most ~0.125 below 2^49 nano-dollars (the double's own rounding, plus the
  // multiplication's), so wherever it lands within 0.25 of an integer the exact decimal value
  // rounds to that same integer. Only amounts near a half nano-dollar (or huge) take the exact
  // decimal route below.
  const scaled = usd * NANO_PER_USD;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled - nearest) < 0.25 && Math.abs(nearest) < FAST_PATH_LIMIT_NANO) return nearest === 0 ? 0 : nearest;
  if (!Number.isFinite(usd)) throw new RangeError(`usdToNano: not a finite amount: ${usd}`);
  return Number(decimalToScaledBigInt(usd, 9));
}

export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** Exact decimal text of a nano-dollar amount, trailing zeros trimmed: 1500 → "0.0000015". */
export function formatNanoUsd(nano: number | bigint): string {
  const value = BigInt(nano);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 1_000_000_000n;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * `value × 10^scale` as a BigInt, rounded half away from zero at that scale. Works on the
 * shortest decimal text JavaScript prints for the number, which is the value a person typed
 * (2.5, 0.075, 1e-7), not the binary approximation behind it.
 */
export function decimalToScaledBigInt(value: number, scale: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const negative = value < 0;
  const [mantissa = "0", exponentText] = Math.abs(value).toString().split("e");
  const exponent = Number(exponentText ?? "0") + scale;
  const [intPart = "0", fracPart = ""] = mantissa.split(".");
  const digits = BigInt(intPart + fracPart);
  // value = digits × 10^(exponent − fracPart.length)
  const shift = exponent - fracPart.length;
  let scaled: bigint;
  if (shift >= 0) {
    scaled = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    scaled = (digits + divisor / 2n) / divisor;
  }
  return negative ? -scaled : scaled;
}
