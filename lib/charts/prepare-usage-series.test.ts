import { describe, expect, it } from "vitest";
import { bucketLabel, bucketUnitFor, prepareUsageSeries } from "./prepare-usage-series";

const at = (iso: string) => new Date(iso);

describe("prepareUsageSeries", () => {
  it("uses hourly buckets for a day and fills quiet hours with zeros", () => {
    const series = prepareUsageSeries(
      [
        { bucket: at("2026-03-02T10:00:00Z"), requests: 3, errors: 1, costUsd: 0.1 },
        { bucket: at("2026-03-02T12:00:00Z"), requests: 2, errors: 0, costUsd: 0.2 },
      ],
      { from: at("2026-03-01T13:30:00Z"), to: at("2026-03-02T13:30:00Z") },
    );
    expect(series.unit).toBe("hour");
    // 13:00 on day 1 through 13:00 on day 2: 25 partial/whole hours.
    expect(series.points).toHaveLength(25);
    expect(series.points[0]!.t).toBe(at("2026-03-01T13:00:00Z").getTime());
    expect(series.points.at(-1)!.t).toBe(at("2026-03-02T13:00:00Z").getTime());
    const tenOClock = series.points.find((p) => p.t === at("2026-03-02T10:00:00Z").getTime());
    expect(tenOClock).toMatchObject({ requests: 3, errors: 1, costUsd: 0.1, label: "10:00" });
    expect(series.points.find((p) => p.t === at("2026-03-02T11:00:00Z").getTime())).toMatchObject({ requests: 0, costUsd: 0 });
    expect(series.points.reduce((s, p) => s + p.requests, 0)).toBe(5);
  });

  it("uses daily buckets for 7 and 30 days and folds hourly rows into days", () => {
    const series = prepareUsageSeries(
      [
        { bucket: at("2026-03-05T01:00:00Z"), requests: 1, errors: 0, costUsd: 0.1 },
        { bucket: at("2026-03-05T23:00:00Z"), requests: 1, errors: 1, costUsd: 0.2 },
      ],
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-03-08T00:00:00Z") },
    );
    expect(series.unit).toBe("day");
    expect(series.points.map((p) => p.label)).toEqual(["Mar 1", "Mar 2", "Mar 3", "Mar 4", "Mar 5", "Mar 6", "Mar 7"]);
    expect(series.points[4]).toMatchObject({ requests: 2, errors: 1, costUsd: 0.3 });
  });

  it("picks the unit from the span", () => {
    expect(bucketUnitFor(24 * 3600_000)).toBe("hour");
    expect(bucketUnitFor(7 * 24 * 3600_000)).toBe("day");
    expect(bucketUnitFor(30 * 24 * 3600_000)).toBe("day");
  });

  it("labels midnight with the date so a 24 h chart shows where the day changes", () => {
    expect(bucketLabel(at("2026-11-23T00:00:00Z").getTime(), "hour")).toBe("Nov 23");
    expect(bucketLabel(at("2026-11-23T07:00:00Z").getTime(), "hour")).toBe("07:00");
  });

  it("ignores rows outside the range", () => {
    const series = prepareUsageSeries([{ bucket: at("2020-01-01T00:00:00Z"), requests: 9, errors: 0, costUsd: 1 }], {
      from: at("2026-03-01T00:00:00Z"),
      to: at("2026-03-02T00:00:00Z"),
    });
    expect(series.points.reduce((s, p) => s + p.requests, 0)).toBe(0);
    expect(series.points).toHaveLength(24);
  });
});
