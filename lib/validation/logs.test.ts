import { describe, expect, it } from "vitest";
import { parseLogsExportQuery, parseLogsQuery } from "./logs";
import { parseUsageQuery } from "./usage";

const params = (query: string) => new URLSearchParams(query);

describe("log search query", () => {
  it("parses the range, tag and text filters", () => {
    expect(
      parseLogsQuery(params("tags=ci, nightly,ci&tags_match=any&min_latency_ms=10&max_cost_usd=0.5&min_tokens=3&is_stream=false&cache=hit&q=timeout&error_type=rate_limited")),
    ).toEqual({
      ok: true,
      data: { tags: ["ci", "nightly"], tags_match: "any", min_latency_ms: 10, max_cost_usd: 0.5, min_tokens: 3, is_stream: false, cache: "hit", q: "timeout", error_type: "rate_limited", limit: 50 },
    });
  });

  it("names unknown parameters and inverted ranges", () => {
    expect(parseLogsQuery(params("foo=1&bar=2"))).toEqual({
      ok: false,
      issues: [
        { path: "foo", message: "unknown query parameter" },
        { path: "bar", message: "unknown query parameter" },
      ],
    });
    const inverted = parseLogsQuery(params("min_tokens=5&max_tokens=4"));
    expect(inverted.ok === false && inverted.issues.map((i) => i.path)).toEqual(["min_tokens"]);
  });

  it("lets the export go up to 100,000 rows, and only as CSV", () => {
    expect(parseLogsExportQuery(params(""))).toMatchObject({ ok: true, data: { limit: 100_000 } });
    expect(parseLogsExportQuery(params("limit=100001")).ok).toBe(false);
    expect(parseLogsExportQuery(params("format=json")).ok).toBe(false);
    expect(parseLogsQuery(params("limit=201")).ok).toBe(false);
  });
});

describe("usage query", () => {
  it("accepts the documented groups and granularities only", () => {
    expect(parseUsageQuery(params("group_by=model&granularity=hour&format=csv"))).toEqual({
      ok: true,
      data: { group_by: "model", granularity: "hour", format: "csv" },
    });
    expect(parseUsageQuery(params("group_by=user")).ok).toBe(false);
  });
});
