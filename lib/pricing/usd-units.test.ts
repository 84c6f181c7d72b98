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
