import { describe, expect, it } from "vitest";
import { logRecord } from "./log-record-fixture";
import { aggregateRollups, bucketStart, statusClass } from "./usage-rollups";
import { insertRequestLogs, requestLogRows, upsertUsageRollups } from "./insert-statements";

describe("aggregateRollups", () => {
  it("adds up records sharing hour and day buckets and dimensions", () => {
    const rows = aggregateRollups([logRecord(), logRecord({ createdAt: new Date("2025-06-01T10:45:00Z"), latencyMs: 50 }), logRecord({ createdAt: new Date("2025-06-01T11:05:00Z") })]);
    const hour10 = rows.find((r) => r.granularity === "hour" && r.bucket.toISOString() === "2025-06-01T10:00:00.000Z");
    const day = rows.find((r) => r.granularity === "day");
    expect(hour10).toMatchObject({ requests: 2, inputTokens: 20, outputTokens: 10, latencyMsSum: 150, errors: 0, customerId: "", statusClass: "2xx" });
    expect(hour10?.costUsd).toBeCloseTo(0.002, 12);
    expect(day).toMatchObject({ requests: 3, bucket: new Date("2025-06-01T00:00:00Z") });
    expect(rows).toHaveLength(3);
  });

  it("separates status classes and counts errors; unknown dimensions become ''", () => {
    const rows = aggregateRollups([logRecord({ status: 401, provider: null, model: null, virtualKeyId: null, teamId: null }), logRecord({ status: 502 })]);
    expect(rows.filter((r) => r.granularity === "hour").map((r) => [r.statusClass, r.errors, r.provider])).toEqual(
      expect.arrayContaining([["4xx", 1, ""], ["5xx", 1, "openai"]]),
    );
  });

  it("buckets in UTC and classifies statuses", () => {
    expect(bucketStart(new Date("2025-06-01T23:59:59.999Z"), "day").toISOString()).toBe("2025-06-01T00:00:00.000Z");
    expect(bucketStart(new Date("2025-06-01T23:59:59.999Z"), "hour").toISOString()).toBe("2025-06-01T23:00:00.000Z");
    expect([200, 304, 400, 499, 500, 529].map(statusClass)).toEqual(["2xx", "2xx", "4xx", "4xx", "5xx", "5xx"]);
  });
});

describe("insert statements", () => {
  it("sends the rows as one jsonb parameter, one object per record with every column", () => {
    const statement = insertRequestLogs([logRecord(), logRecord({ id: "00000000-0000-4000-8000-000000000002", attempts: [{ provider: "p", model: "m", key: "k", status: 200, latencyMs: 1 }] })]);
    expect(statement.values).toHaveLength(1);
    expect(statement.text).toContain("jsonb_to_recordset($1::jsonb)");
    const rows = requestLogRows(statement);
    expect(rows.map((row) => row.id)).toEqual(["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]);
    expect(rows[1]?.attempts).toEqual([{ provider: "p", model: "m", key: "k", status: 200, latencyMs: 1 }]);
    expect(rows[0]?.cost_usd).toBe("0.001");
    expect(rows[0]?.created_at).toBe("2025-06-01T10:15:00.000Z");
  });

  it("replaces characters PostgreSQL cannot store (U+0000, unpaired surrogates) instead of failing the batch", () => {
    const statement = insertRequestLogs([logRecord({ errorMessage: "bad\u0000byte", tags: ["lone\ud800"] })]);
    const [row] = requestLogRows(statement);
    expect(row?.error_message).toBe("bad\ufffdbyte");
    expect(row?.tags).toEqual(["lone\ufffd"]);
  });

  it("upserts rollups by adding counters", () => {
    const statement = upsertUsageRollups(aggregateRollups([logRecord()]));
    expect(statement.text).toContain("requests = usage_rollups.requests + EXCLUDED.requests");
    expect(statement.values).toHaveLength(2 * 18);
  });
});
