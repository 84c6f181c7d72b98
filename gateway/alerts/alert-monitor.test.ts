// The observe() flow against an in-memory stand-in for the alerts table: which thresholds
// fire, how often, and that the hot path stays free of I/O when nothing new is crossed.
import { describe, expect, it } from "vitest";
import type pg from "pg";
import { createAlertMonitor, type BudgetUsageObservation } from "./alert-monitor";

interface FakeRow {
  id: string;
  budgetId: string;
  threshold: number;
  windowStartMs: number;
  deliveredAt: Date | null;
  deliveryError: string | null;
}

/** Just enough of pg's query() for the monitor, with the unique key of the real table. */
function fakePool(opts: { failInserts?: number } = {}) {
  const rows: FakeRow[] = [];
  let failInserts = opts.failInserts ?? 0;
  let queries = 0;
  const query = async (text: string, values: unknown[] = []) => {
    queries++;
    if (text.startsWith("INSERT INTO alerts")) {
      if (failInserts > 0) {
        failInserts--;
        throw new Error("connection refused");
      }
      const inserted: { id: string; threshold: number }[] = [];
      for (let i = 0; i < values.length; i += 7) {
        const [id, budgetId, threshold, windowStart] = values.slice(i, i + 4) as [string, string, number, Date];
        const clash = rows.some((r) => r.budgetId === budgetId && r.threshold === threshold && r.windowStartMs === windowStart.getTime());
        if (clash) continue;
        rows.push({ id, budgetId, threshold, windowStartMs: windowStart.getTime(), deliveredAt: null, deliveryError: null });
        inserted.push({ id, threshold });
      }
      return { rows: inserted };
    }
    if (text.startsWith("SELECT key, value FROM settings")) return { rows: [] };
    if (text.startsWith("UPDATE alerts SET delivered_at")) {
      const row = rows.find((r) => r.id === values[0])!;
      row.deliveredAt = values[1] as Date;
      return { rows: [] };
    }
    if (text.startsWith("UPDATE alerts SET delivery_error")) {
      const row = rows.find((r) => r.id === values[0])!;
      row.deliveryError = values[1] as string;
      return { rows: [] };
    }
    throw new Error(`unexpected query: ${text}`);
  };
  return { pool: { query } as unknown as Pick<pg.Pool, "query">, rows, queryCount: () => queries };
}

const DAY_START = new Date("2026-03-10T00:00:00.000Z");
const DAY_END = new Date("2026-03-11T00:00:00.000Z");

function usage(usedUsd: number, windowStart = DAY_START, windowEnd = DAY_END): BudgetUsageObservation {
  return {
    budgetId: "budget-1",
    entityType: "team",
    entityId: "team-1",
    entityName: "platform",
    window: "1d",
    windowStart,
    windowEnd,
    limitUsd: 10,
    usedUsd,
    usedTokens: 1234,
    thresholds: [80, 95, 100],
  };
}

function setup(opts: { failInserts?: number; url?: string } = {}) {
  const db = fakePool(opts);
  const sent: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: new Headers(init.headers), body: JSON.parse(String(init.body)) as Record<string, unknown> });
    return new Response("ok", { status: 200 });
  }) as unknown as typeof fetch;
  const logs: string[] = [];
  const monitor = createAlertMonitor({
    pool: db.pool,
    webhook: { url: opts.url ?? "http://receiver.test/hook", secret: "s3cret" },
    log: (m) => logs.push(m),
    fetchImpl,
    clock: () => new Date("2026-03-10T15:00:00.000Z"),
    delivery: { baseDelayMs: 1 },
  });
  return { ...db, sent, logs, monitor };
}

describe("createAlertMonitor (unit)", () => {
  it("does nothing, and no I/O, below the lowest threshold", async () => {
    const { monitor, rows, sent, queryCount } = setup();
    monitor.observe(usage(5));
    monitor.observe(usage(7.99));
    await monitor.whenIdle();
    expect(rows).toHaveLength(0);
    expect(sent).toHaveLength(0);
    expect(queryCount()).toBe(0);
  });

  it("fires 80 and 95 once each when one request jumps past both", async () => {
    const { monitor, rows, sent, queryCount } = setup();
    monitor.observe(usage(9.6));
    monitor.observe(usage(9.7)); // same crossing seen again before the first insert finished
    await monitor.whenIdle();
    expect(rows.map((r) => r.threshold)).toEqual([80, 95]);
    expect(sent.map((s) => s.body.threshold_percent)).toEqual([80, 95]);
    expect(rows.every((r) => r.deliveredAt !== null)).toBe(true);

    const before = queryCount();
    monitor.observe(usage(9.8));
    monitor.observe(usage(9.9));
    await monitor.whenIdle();
    expect(queryCount()).toBe(before); // cached: no I/O when nothing new is crossed

    monitor.observe(usage(10));
    await monitor.whenIdle();
    expect(sent.map((s) => s.body.threshold_percent)).toEqual([80, 95, 100]);
  });

  it("fires again in a new window", async () => {
    const { monitor, sent } = setup();
    monitor.observe(usage(8.5));
    await monitor.whenIdle();
    const nextStart = DAY_END;
    const nextEnd = new Date("2026-03-12T00:00:00.000Z");
    monitor.observe(usage(8.5, nextStart, nextEnd));
    await monitor.whenIdle();
    expect(sent.map((s) => [s.body.threshold_percent, s.body.window_start])).toEqual([
      [80, DAY_START.toISOString()],
      [80, nextStart.toISOString()],
    ]);
  });

  it("sends the documented payload and headers", async () => {
    const { monitor, sent, rows } = setup();
    monitor.observe(usage(8.25));
    await monitor.whenIdle();
    expect(sent).toHaveLength(1);
    const [delivery] = sent;
    expect(delivery!.body).toEqual({
      type: "budget.threshold_crossed",
      alert_id: rows[0]!.id,
      budget_id: "budget-1",
      entity: { type: "team", id: "team-1", name: "platform" },
      window: "1d",
      window_start: "2026-03-10T00:00:00.000Z",
      window_end: "2026-03-11T00:00:00.000Z",
      threshold_percent: 80,
      used_usd: 8.25,
      limit_usd: 10,
      used_tokens: 1234,
      limit_tokens: null,
      triggered_at: "2026-03-10T15:00:00.000Z",
    });
    expect(delivery!.headers.get("content-type")).toBe("application/json");
    expect(delivery!.headers.get("x-switchyard-event")).toBe("budget.threshold_crossed");
    expect(delivery!.headers.get("x-switchyard-delivery")).toBe(rows[0]!.id);
    expect(delivery!.headers.get("x-switchyard-timestamp")).toBe(String(Date.parse("2026-03-10T15:00:00.000Z") / 1000));
    expect(delivery!.headers.get("x-switchyard-signature")).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it("retries the insert on the next observation after a database error", async () => {
    const { monitor, rows, sent, logs } = setup({ failInserts: 1 });
    monitor.observe(usage(8.5));
    await monitor.whenIdle();
    expect(rows).toHaveLength(0);
    expect(logs.some((l) => l.includes("could not record alerts"))).toBe(true);
    monitor.observe(usage(8.6));
    await monitor.whenIdle();
    expect(rows).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it("never throws into the caller, even for garbage input", () => {
    const { monitor, logs } = setup();
    expect(() => monitor.observe({ ...usage(9), windowStart: new Date("nope") })).not.toThrow();
    expect(() => monitor.observe(null as unknown as BudgetUsageObservation)).not.toThrow();
    expect(logs.length).toBe(2);
  });

  it("ignores observations after close()", async () => {
    const { monitor, rows } = setup();
    await monitor.close();
    monitor.observe(usage(9.6));
    await monitor.whenIdle();
    expect(rows).toHaveLength(0);
  });
});
