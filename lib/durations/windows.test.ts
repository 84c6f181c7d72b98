import { describe, expect, it } from "vitest";
import {
  fixedWindowMs,
  formatWindow,
  isWindow,
  nominalWindowMs,
  parseWindow,
  tryParseWindow,
  WindowParseError,
  windowBounds,
} from "./windows";

const at = (iso: string) => new Date(iso);
const bounds = (window: string, now: string, alignment: "calendar" | "rolling" = "calendar") => {
  const b = windowBounds(window, at(now), alignment);
  return [b.start.toISOString(), b.end.toISOString()];
};

describe("parseWindow", () => {
  it.each(["1m", "5m", "1h", "1d", "1w", "1M", "1Y", "15m", "2d", "3M", "1000d"])("accepts %s", (text) => {
    const window = parseWindow(text);
    expect(formatWindow(window)).toBe(text);
  });

  it("distinguishes minutes from months by case", () => {
    expect(parseWindow("1m")).toEqual({ count: 1, unit: "m" });
    expect(parseWindow("1M")).toEqual({ count: 1, unit: "M" });
  });

  it.each(["", "2x", "0d", "01d", "-1d", "1.5h", "d", "1", " 1d", "1d ", "1D", "1y", "1s", "1001d", "1dd"])(
    "rejects %j",
    (text) => {
      expect(tryParseWindow(text)).toBeUndefined();
      expect(isWindow(text)).toBe(false);
      expect(() => parseWindow(text)).toThrow(WindowParseError);
    },
  );

  it("explains the grammar in the error", () => {
    expect(() => parseWindow("2x")).toThrow(/invalid window "2x".*m \(minutes\).*M \(months\)/);
  });
});

describe("window lengths", () => {
  it("knows fixed lengths and refuses to guess months", () => {
    expect(fixedWindowMs("5m")).toBe(300_000);
    expect(fixedWindowMs("1w")).toBe(7 * 86_400_000);
    expect(fixedWindowMs("1M")).toBeUndefined();
    expect(fixedWindowMs("1Y")).toBeUndefined();
  });

  it("orders windows by nominal length", () => {
    const sorted = ["1Y", "1d", "1M", "5m", "1w", "1h", "1m"].sort((a, b) => nominalWindowMs(a) - nominalWindowMs(b));
    expect(sorted).toEqual(["1m", "5m", "1h", "1d", "1w", "1M", "1Y"]);
  });
});

describe("windowBounds, calendar alignment", () => {
  it("aligns minutes and hours to the clock", () => {
    expect(bounds("1m", "2025-03-10T12:07:42.123Z")).toEqual(["2025-03-10T12:07:00.000Z", "2025-03-10T12:08:00.000Z"]);
    expect(bounds("5m", "2025-03-10T12:07:42.123Z")).toEqual(["2025-03-10T12:05:00.000Z", "2025-03-10T12:10:00.000Z"]);
    expect(bounds("1h", "2025-03-10T12:59:59.999Z")).toEqual(["2025-03-10T12:00:00.000Z", "2025-03-10T13:00:00.000Z"]);
    expect(bounds("6h", "2025-03-10T13:00:00.000Z")).toEqual(["2025-03-10T12:00:00.000Z", "2025-03-10T18:00:00.000Z"]);
  });

  it("puts an instant exactly on a boundary into the window it starts", () => {
    expect(bounds("1d", "2025-03-10T00:00:00.000Z")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-11T00:00:00.000Z"]);
  });

  it("aligns days to UTC midnight", () => {
    expect(bounds("1d", "2025-03-10T23:59:59.999Z")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-11T00:00:00.000Z"]);
  });

  it("starts weeks on Monday", () => {
    // 2025-03-12 is a Wednesday; 2025-03-16 a Sunday; 2025-03-17 a Monday.
    expect(bounds("1w", "2025-03-12T08:00:00Z")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-17T00:00:00.000Z"]);
    expect(bounds("1w", "2025-03-16T23:59:59Z")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-17T00:00:00.000Z"]);
    expect(bounds("1w", "2025-03-17T00:00:00Z")).toEqual(["2025-03-17T00:00:00.000Z", "2025-03-24T00:00:00.000Z"]);
  });

  it("handles weeks that span a year boundary", () => {
    // 2025-12-29 is a Monday; the week runs into 2026.
    expect(bounds("1w", "2026-01-01T10:00:00Z")).toEqual(["2025-12-29T00:00:00.000Z", "2026-01-05T00:00:00.000Z"]);
  });

  it("handles weeks before the Unix epoch", () => {
    // 1969-12-29 is a Monday.
    expect(bounds("1w", "1969-12-31T10:00:00Z")).toEqual(["1969-12-29T00:00:00.000Z", "1970-01-05T00:00:00.000Z"]);
  });

  it("aligns months to the first of the month, whatever their length", () => {
    expect(bounds("1M", "2025-01-31T23:59:59.999Z")).toEqual(["2025-01-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z"]);
    expect(bounds("1M", "2025-02-28T12:00:00Z")).toEqual(["2025-02-01T00:00:00.000Z", "2025-03-01T00:00:00.000Z"]);
    expect(bounds("1M", "2024-02-29T12:00:00Z")).toEqual(["2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"]);
    expect(bounds("1M", "2025-04-30T12:00:00Z")).toEqual(["2025-04-01T00:00:00.000Z", "2025-05-01T00:00:00.000Z"]);
  });

  it("rolls December into the next year", () => {
    expect(bounds("1M", "2025-12-31T23:59:59.999Z")).toEqual(["2025-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"]);
  });

  it("makes quarters of 3M", () => {
    expect(bounds("3M", "2025-05-15T00:00:00Z")).toEqual(["2025-04-01T00:00:00.000Z", "2025-07-01T00:00:00.000Z"]);
    expect(bounds("3M", "2025-12-15T00:00:00Z")).toEqual(["2025-10-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"]);
  });

  it("aligns years to January 1st, leap years included", () => {
    expect(bounds("1Y", "2024-12-31T23:59:59.999Z")).toEqual(["2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"]);
    expect(bounds("1Y", "2025-01-01T00:00:00.000Z")).toEqual(["2025-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"]);
    const leap = windowBounds("1Y", at("2024-06-01T00:00:00Z"));
    expect((leap.end.getTime() - leap.start.getTime()) / 86_400_000).toBe(366);
  });

  it("ignores the local time zone", () => {
    // 2025-03-10T23:30 in UTC is already the 11th in Tokyo; the UTC day must win.
    expect(bounds("1d", "2025-03-10T23:30:00+00:00")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-11T00:00:00.000Z"]);
    expect(bounds("1d", "2025-03-11T08:30:00+09:00")).toEqual(["2025-03-10T00:00:00.000Z", "2025-03-11T00:00:00.000Z"]);
  });
});

describe("windowBounds, rolling alignment", () => {
  it("ends now and reaches back one window", () => {
    expect(bounds("5m", "2025-03-10T12:07:42.123Z", "rolling")).toEqual([
      "2025-03-10T12:02:42.123Z",
      "2025-03-10T12:07:42.123Z",
    ]);
    expect(bounds("1w", "2025-03-10T12:00:00Z", "rolling")).toEqual(["2025-03-03T12:00:00.000Z", "2025-03-10T12:00:00.000Z"]);
  });

  it("subtracts calendar months, clamping to the month's last day", () => {
    expect(bounds("1M", "2025-03-31T10:00:00Z", "rolling")).toEqual(["2025-02-28T10:00:00.000Z", "2025-03-31T10:00:00.000Z"]);
    expect(bounds("1M", "2024-03-31T10:00:00Z", "rolling")).toEqual(["2024-02-29T10:00:00.000Z", "2024-03-31T10:00:00.000Z"]);
    expect(bounds("1M", "2025-01-15T10:00:00Z", "rolling")).toEqual(["2024-12-15T10:00:00.000Z", "2025-01-15T10:00:00.000Z"]);
  });

  it("subtracts years across Feb 29", () => {
    expect(bounds("1Y", "2024-02-29T00:00:00Z", "rolling")).toEqual(["2023-02-28T00:00:00.000Z", "2024-02-29T00:00:00.000Z"]);
  });

  it("does not return the caller's Date object", () => {
    const now = at("2025-03-10T12:00:00Z");
    const b = windowBounds("1h", now, "rolling");
    expect(b.end).not.toBe(now);
    expect(b.end.getTime()).toBe(now.getTime());
  });
});

describe("windowBounds input checks", () => {
  it("rejects invalid dates and windows", () => {
    expect(() => windowBounds("1d", new Date(Number.NaN))).toThrow(RangeError);
    expect(() => windowBounds("2x", new Date())).toThrow(WindowParseError);
  });
});
