// Budget and rate-limit windows (PRODUCT §5.3): `<n><unit>` with units
// m (minute), h (hour), d (day), w (week), M (month), Y (year) — e.g. 1m 5m 1h 1d 1w 1M 1Y.
//
// Two alignments:
// - calendar: fixed, non-overlapping windows. d / w / M / Y follow the UTC calendar (weeks
//   start on Monday, months and years on their first day); m / h follow the clock. Multi-unit
//   windows (2d, 3M, 2Y) are counted from a fixed origin so that every process computes the
//   same boundaries without shared state: 3M gives calendar quarters, 6M half-years.
// - rolling: the trailing window that ends now (`now - window` … `now`).
//
// All arithmetic is in UTC; local time zones never leak into budget resets.

export const WINDOW_UNITS = ["m", "h", "d", "w", "M", "Y"] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number];

export const WINDOW_ALIGNMENTS = ["calendar", "rolling"] as const;
export type WindowAlignment = (typeof WINDOW_ALIGNMENTS)[number];

/** The windows the dashboard offers; any other `<n><unit>` is valid too. */
export const COMMON_WINDOWS = ["1m", "5m", "1h", "1d", "1w", "1M", "1Y"] as const;

export interface Window {
  readonly count: number;
  readonly unit: WindowUnit;
}

export interface WindowBounds {
  /** Inclusive. */
  readonly start: Date;
  /** Exclusive. For rolling windows this is `now`. */
  readonly end: Date;
}

// A cap keeps date arithmetic far from the limits of `Date` (±273,790 years) and rejects
// typos such as `10000000d` that would silently mean "never resets".
export const MAX_WINDOW_COUNT = 1000;

const WINDOW_PATTERN = /^([1-9][0-9]{0,3})([mhdwMY])$/;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday; calendar weeks are counted from the Monday before it.
const FIRST_MONDAY_MS = -3 * DAY_MS;

const FIXED_UNIT_MS: Partial<Record<WindowUnit, number>> = {
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: WEEK_MS,
};

export class WindowParseError extends Error {
  constructor(readonly input: string) {
    super(
      `invalid window "${input}": expected <n><unit> with n from 1 to ${MAX_WINDOW_COUNT} and unit one of ` +
        `m (minutes), h (hours), d (days), w (weeks), M (months), Y (years), e.g. 5m, 1d, 1M`,
    );
    this.name = "WindowParseError";
  }
}

/** Parses a window such as `5m` or `1M`; returns undefined when the text is not one. */
export function tryParseWindow(text: string): Window | undefined {
  const match = WINDOW_PATTERN.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  if (count > MAX_WINDOW_COUNT) return undefined;
  return { count, unit: match[2] as WindowUnit };
}

export function parseWindow(text: string): Window {
  const window = tryParseWindow(text);
  if (!window) throw new WindowParseError(text);
  return window;
}

export function isWindow(text: string): boolean {
  return tryParseWindow(text) !== undefined;
}

export function formatWindow(window: Window): string {
  return `${window.count}${window.unit}`;
}

/**
 * Length of a window in milliseconds for the fixed-length units (m h d w); undefined for
 * M and Y, whose length depends on where they start.
 */
export function fixedWindowMs(window: Window | string): number | undefined {
  const parsed = typeof window === "string" ? parseWindow(window) : window;
  const unitMs = FIXED_UNIT_MS[parsed.unit];
  return unitMs === undefined ? undefined : unitMs * parsed.count;
}

/** Approximate length for sorting and display (a month counts as 30 days, a year as 365). */
export function nominalWindowMs(window: Window | string): number {
  const parsed = typeof window === "string" ? parseWindow(window) : window;
  const fixed = fixedWindowMs(parsed);
  if (fixed !== undefined) return fixed;
  return parsed.count * (parsed.unit === "M" ? 30 : 365) * DAY_MS;
}

export function windowBounds(
  window: Window | string,
  now: Date,
  alignment: WindowAlignment = "calendar",
): WindowBounds {
  const parsed = typeof window === "string" ? parseWindow(window) : window;
  if (Number.isNaN(now.getTime())) throw new RangeError("windowBounds: invalid date");
  return alignment === "rolling" ? rollingBounds(parsed, now) : calendarBounds(parsed, now);
}

function rollingBounds(window: Window, now: Date): WindowBounds {
  const fixed = fixedWindowMs(window);
  if (fixed !== undefined) return { start: new Date(now.getTime() - fixed), end: new Date(now.getTime()) };
  const months = window.unit === "M" ? window.count : window.count * 12;
  return { start: addUtcMonths(now, -months), end: new Date(now.getTime()) };
}

function calendarBounds(window: Window, now: Date): WindowBounds {
  const t = now.getTime();
  switch (window.unit) {
    case "m":
    case "h":
    case "d": {
      // The Unix epoch is midnight UTC, so epoch multiples are clock- and day-aligned.
      const size = (FIXED_UNIT_MS[window.unit] as number) * window.count;
      const start = floorTo(t, size, 0);
      return { start: new Date(start), end: new Date(start + size) };
    }
    case "w": {
      const size = WEEK_MS * window.count;
      const start = floorTo(t, size, FIRST_MONDAY_MS);
      return { start: new Date(start), end: new Date(start + size) };
    }
    case "M": {
      const monthIndex = now.getUTCFullYear() * 12 + now.getUTCMonth();
      const startIndex = monthIndex - mod(monthIndex, window.count);
      return { start: monthStart(startIndex), end: monthStart(startIndex + window.count) };
    }
    case "Y": {
      const year = now.getUTCFullYear();
      const startYear = year - mod(year, window.count);
      return { start: monthStart(startYear * 12), end: monthStart((startYear + window.count) * 12) };
    }
  }
}

function floorTo(t: number, size: number, origin: number): number {
  return origin + Math.floor((t - origin) / size) * size;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function monthStart(monthIndex: number): Date {
  const year = Math.floor(monthIndex / 12);
  const date = new Date(Date.UTC(2000, mod(monthIndex, 12), 1));
  // setUTCFullYear, because Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year);
  return date;
}

/** Adds calendar months, clamping the day: Mar 31 − 1 month = Feb 28 (or 29). */
function addUtcMonths(date: Date, months: number): Date {
  const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const target = monthStart(monthIndex);
  const lastDay = new Date(monthStart(monthIndex + 1).getTime() - DAY_MS).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target;
}
