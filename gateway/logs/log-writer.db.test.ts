// The writer against a real database: log rows, captured bodies, rollups and their
// one-dimension view land in one transaction, and the view the writer maintains equals the
// one rebuilt from usage_rollups in SQL (switchyard_rebuild_rollup_dims), so org-wide and
// scoped charts can never disagree.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { logRecord } from "./log-record-fixture";
import { LogWriter } from "./log-writer";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 3 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const DIM_QUERY = `SELECT granularity::text, dimension, bucket, value, requests::int, errors::int, cache_hits::int, input_tokens::int,
  output_tokens::int, cost_usd::text, latency_ms_sum::int FROM usage_rollup_dims ORDER BY 1, 2, 3, 4`;

describe("LogWriter on PostgreSQL", () => {
  it("writes rows, bodies, rollups and the one-dimension view consistently", async () => {
    const writer = new LogWriter({ pool, flushIntervalMs: 60_000, log: () => undefined });
    const now = new Date();
    const records = Array.from({ length: 40 }, (_, i) =>
      logRecord({
        id: randomUUID(),
        createdAt: new Date(now.getTime() - (i % 3) * 3_600_000),
        provider: ["openai", "mistral"][i % 2]!,
        model: ["gpt-4o", "devstral"][i % 2]!,
        teamId: i % 5 === 0 ? null : `t${i % 3}`,
        virtualKeyId: `vk${i % 4}`,
        status: i % 7 === 0 ? 429 : 200,
        costUsd: 0.001 * (i + 1),
        cache: i % 6 === 0 ? "hit-exact" : "miss",
        bodies: i === 0 ? { requestBody: '{"messages":[]}', responseBody: '{"ok":true}', truncated: false } : null,
      }),
    );
    // Two batches, so the upserts add to rows written by the first.
    for (const record of records.slice(0, 25)) writer.enqueue(record);
    await writer.flush();
    for (const record of records.slice(25)) writer.enqueue(record);
    await writer.close();

    expect((await pool.query("SELECT count(*)::int AS n FROM request_logs")).rows[0].n).toBe(40);
    const body = await pool.query("SELECT request_body, response_body FROM request_log_bodies WHERE log_id = $1", [records[0]!.id]);
    expect(body.rows).toEqual([{ request_body: '{"messages":[]}', response_body: '{"ok":true}' }]);

    const written = (await pool.query(DIM_QUERY)).rows;
    const total = written.filter((r) => r.dimension === "none" && r.granularity === "day").reduce((sum, r) => sum + r.requests, 0);
    expect(total).toBe(40);
    await pool.query("SELECT switchyard_rebuild_rollup_dims()");
    expect((await pool.query(DIM_QUERY)).rows).toEqual(written);
  });

  it("stores every column as given, and a row with U+0000 or an unpaired surrogate instead of failing its batch", async () => {
    const writer = new LogWriter({ pool, flushIntervalMs: 60_000, log: () => undefined });
    const id = randomUUID();
    const createdAt = new Date(Date.now() - 1234);
    writer.enqueue(
      logRecord({
        id, createdAt, status: 502, isStream: true, ttftMs: 42, latencyMs: 321, costUsd: 0.0000015, cacheSavedUsd: 0.25,
        errorType: "upstream_error", errorMessage: "upstream said \u0000 then \ud800", errorSource: "upstream",
        tags: ["a", "b\udfff"], metadata: { governance: { reserved: 3 } }, attempts: [{ provider: "p", model: "m", key: "k", status: 502, latencyMs: 300 }],
        costBreakdown: { input: 0.000001, output: 0.0000005, total: 0.0000015 } as never, paramTransformations: [{ param: "max_tokens", action: "renamed" }] as never,
        fallbackReason: "status_502", searchText: "x",
      }),
    );
    await writer.close();
    const row = (await pool.query("SELECT *, cost_usd::text AS cost, cache_saved_usd::text AS saved FROM request_logs WHERE id = $1", [id])).rows[0];
    expect(row).toMatchObject({
      status: 502, is_stream: true, ttft_ms: 42, latency_ms: 321, cost: "0.0000015000", saved: "0.2500000000",
      error_type: "upstream_error", error_message: "upstream said \ufffd then \ufffd", error_source: "upstream",
      tags: ["a", "b\ufffd"], metadata: { governance: { reserved: 3 } }, attempts: [{ provider: "p", model: "m", key: "k", status: 502, latencyMs: 300 }],
      cost_breakdown: { input: 0.000001, output: 0.0000005, total: 0.0000015 }, param_transformations: [{ param: "max_tokens", action: "renamed" }],
      fallback_reason: "status_502", client_api: "openai_chat", virtual_key_id: "vk1", team_name: "platform",
    });
    expect((row.created_at as Date).getTime()).toBe(createdAt.getTime());
  });
});
