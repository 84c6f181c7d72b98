import { describe, expect, it } from "vitest";
import { decimalToScaledBigInt, formatNanoUsd, usdToNano } from "./usd-units";

describe("usd units", () => {
  it("converts USD to nano-dollars from the decimal text, not the binary float", () => {
    expect(usdToNano(0.000000015)).toBe(15);
    expect(usdToNano(0.1 + 0.2)).toBe(300_000_000);
    expect(usdToNano(1e-10)).toBe(0);
    expect(usdToNano(5e-10)).toBe(1);
    expect(usdToNano(-0.5)).toBe(-500_000_000);
    expect(usdToNano(123456.789)).toBe(123_456_789_000_000);
  });

  it("scales exponent notation exactly", () => {
    expect(decimalToScaledBigInt(2.5e-7, 9)).toBe(250n);
    expect(decimalToScaledBigInt(1e21, 0)).toBe(10n ** 21n);
  });

  it("formats nano-dollars as exact decimal text", () => {
    expect(formatNanoUsd(1500)).toBe("0.0000015");
    expect(formatNanoUsd(500_000_000)).toBe("0.5");
    expect(formatNanoUsd(2_000_000_000)).toBe("2");
    expect(formatNanoUsd(-1)).toBe("-0.000000001");
  });
});

describe("usdToNano fast path", () => {
  it("agrees with the exact decimal conversion on costs of every magnitude, halves included", () => {
    // Deterministic pseudo-random amounts (LCG), the shapes costs take: tokens × per-token prices,
    // and decimals with up to 12 fraction digits so that half nano-dollars occur too.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const amounts: number[] = [0.0000000005, -0.0000000005, 0.0000000015, 2.5e-9, -2.5e-9, 562_949.953421312, 1e6 + 0.1234567895];
    for (let i = 0; i < 20_000; i++) {
      const tokens = Math.floor(next() * 200_000);
      const perMillion = Math.round(next() * 100_000) / 1000;
      amounts.push((tokens * perMillion) / 1e6, Number((next() * 10 ** Math.floor(next() * 7)).toFixed(Math.floor(next() * 13))), -next() / 1000);
    }
    for (const usd of amounts) expect(usdToNano(usd), String(usd)).toBe(Number(decimalToScaledBigInt(usd, 9)));
  });
});

