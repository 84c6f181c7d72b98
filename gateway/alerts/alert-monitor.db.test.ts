// Alerts against real PostgreSQL and a real HTTP receiver: exactly-once delivery across two
// replicas, retries, failures recorded on the row, and the settings-table fallback.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { createAlertMonitor, type AlertMonitor, type AlertMonitorOptions, type BudgetUsageObservation } from "./alert-monitor";
import { startTestWebhookServer, unreachableUrl, waitFor, type TestWebhookServer } from "./test-webhook-server";

const SECRET = "test-webhook-secret";
// Short backoff so retries take milliseconds; the policy's shape is what is under test.
const FAST = { attempts: 5, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2_000 };

let db: TestDatabase;
let pools: pg.Pool[];
let receiver: TestWebhookServer;
const monitors: AlertMonitor[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // Two pools: each simulated replica has its own connections, as separate processes would.
  pools = [new pg.Pool({ connectionString: db.url, max: 4 }), new pg.Pool({ connectionString: db.url, max: 4 })];
  receiver = await startTestWebhookServer(SECRET);
});

afterAll(async () => {
  await Promise.all(monitors.map((m) => m.close(1_000)));
  await receiver?.close();
  await Promise.all((pools ?? []).map((p) => p.end()));
  await db?.drop();
});

function monitor(overrides: Partial<AlertMonitorOptions> & { replica?: 0 | 1 } = {}): AlertMonitor {
  const m = createAlertMonitor({
    pool: pools[overrides.replica ?? 0]!,
    webhook: { url: receiver.url, secret: SECRET },
    log: () => undefined,
    delivery: FAST,
    ...overrides,
  });
  monitors.push(m);
  return m;
}

async function createBudget(limitUsd = 10): Promise<string> {
  const id = `budget-${randomUUID()}`;
  await pools[0]!.query(
    `INSERT INTO budgets (id, entity_type, entity_id, "window", limit_usd, updated_at) VALUES ($1, 'team', $2, '1d', $3, now())`,
    [id, `team-${id}`, limitUsd],
  );
  return id;
}

function usage(budgetId: string, usedUsd: number): BudgetUsageObservation {
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  return {
    budgetId,
    entityType: "team",
    entityId: `team-${budgetId}`,
    entityName: "platform",
    window: "1d",
    windowStart: start,
    windowEnd: new Date(start.getTime() + 86_400_000),
    limitUsd: 10,
    usedUsd,
    usedTokens: 100,
    thresholds: [80, 95, 100],
  };
}

interface AlertDbRow {
  id: string;
  threshold: number;
  delivered_at: Date | null;
  delivery_error: string | null;
}

async function alertRows(budgetId: string): Promise<AlertDbRow[]> {
  const { rows } = await pools[0]!.query<AlertDbRow>(
    "SELECT id, threshold, delivered_at, delivery_error FROM alerts WHERE budget_id = $1 ORDER BY threshold",
    [budgetId],
  );
  return rows;
}

const deliveriesFor = (budgetId: string) => receiver.received.filter((d) => d.payload.budget_id === budgetId);

describe("alert monitor on PostgreSQL", () => {
  it("delivers one signed webhook when two replicas observe the same crossing", async () => {
    const budgetId = await createBudget();
    const [a, b] = [monitor({ replica: 0 }), monitor({ replica: 1 })];
    // Both replicas settle requests that cross 80 % at about the same moment, repeatedly.
    for (let i = 0; i < 5; i++) {
      a.observe(usage(budgetId, 8.1 + i * 0.01));
      b.observe(usage(budgetId, 8.1 + i * 0.01));
    }
    await Promise.all([a.whenIdle(), b.whenIdle()]);

    const rows = await alertRows(budgetId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ threshold: 80, delivery_error: null });
    expect(rows[0]!.delivered_at).toBeInstanceOf(Date);
    const deliveries = deliveriesFor(budgetId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.verification.ok).toBe(true);
    expect(deliveries[0]!.headers["x-switchyard-delivery"]).toBe(rows[0]!.id);
    expect(deliveries[0]!.headers["x-switchyard-event"]).toBe("budget.threshold_crossed");
    expect(deliveries[0]!.payload).toMatchObject({ alert_id: rows[0]!.id, threshold_percent: 80, used_usd: expect.any(Number) });

    // A fresh replica (empty cache, e.g. after a restart) conflicts on insert and stays quiet.
    const restarted = monitor({ replica: 1 });
    restarted.observe(usage(budgetId, 8.5));
    await restarted.whenIdle();
    expect(deliveriesFor(budgetId)).toHaveLength(1);
  });

  it("retries a failing receiver (500, 500, 200) and ends delivered", async () => {
    const budgetId = await createBudget();
    const m = monitor();
    receiver.respondWith([500, 500]);
    m.observe(usage(budgetId, 9.5));
    const row = await waitFor(async () => {
      const [alert] = await alertRows(budgetId);
      expect(alert?.delivered_at).toBeInstanceOf(Date);
      return alert!;
    });
    expect(row.delivery_error).toBeNull();
    // 95 is delivered after 80 is done; wait for it before reading what the receiver got.
    await m.whenIdle();
    const deliveries = deliveriesFor(budgetId);
    // Exactly 80 and 95 were crossed; 80 took three attempts, 95 one.
    expect(deliveries.map((d) => [d.payload.threshold_percent, d.status])).toEqual([
      [80, 500],
      [80, 500],
      [80, 200],
      [95, 200],
    ]);
    expect(new Set(deliveries.slice(0, 3).map((d) => d.headers["x-switchyard-delivery"])).size).toBe(1);
    expect(deliveries.every((d) => d.verification.ok)).toBe(true);
    expect((await alertRows(budgetId)).every((r) => r.delivered_at !== null)).toBe(true);
  });

  it("records delivery_error when the receiver is unreachable", async () => {
    const budgetId = await createBudget();
    const m = monitor({ webhook: { url: await unreachableUrl(), secret: SECRET }, delivery: { ...FAST, attempts: 3 } });
    m.observe(usage(budgetId, 8));
    const row = await waitFor(async () => {
      const [alert] = await alertRows(budgetId);
      expect(alert?.delivery_error).toBeTruthy();
      return alert!;
    });
    expect(row.delivered_at).toBeNull();
    expect(row.delivery_error).toMatch(/ECONNREFUSED.*after 3 attempts/);
  });

  it("records the alert but delivers nothing when no URL is configured anywhere", async () => {
    const budgetId = await createBudget();
    const m = monitor({ webhook: {} });
    m.observe(usage(budgetId, 10));
    await m.whenIdle();
    const rows = await alertRows(budgetId);
    expect(rows.map((r) => r.threshold)).toEqual([80, 95, 100]);
    expect(rows.every((r) => r.delivered_at === null && r.delivery_error === null)).toBe(true);
    expect(deliveriesFor(budgetId)).toHaveLength(0);
  });

  it("falls back to the settings table for the URL and secret", async () => {
    const budgetId = await createBudget();
    await pools[0]!.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('alert_webhook_url', $1::jsonb, now()), ('alert_webhook_secret', $2::jsonb, now())`,
      [JSON.stringify(receiver.url), JSON.stringify(SECRET)],
    );
    try {
      const m = monitor({ webhook: {} });
      m.observe(usage(budgetId, 8));
      await m.whenIdle();
      const deliveries = deliveriesFor(budgetId);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]!.verification.ok).toBe(true);
    } finally {
      await pools[0]!.query("DELETE FROM settings WHERE key IN ('alert_webhook_url', 'alert_webhook_secret')");
    }
  });

  it("close() waits for a delivery that is still retrying", async () => {
    const budgetId = await createBudget();
    const m = createAlertMonitor({
      pool: pools[0]!,
      webhook: { url: receiver.url, secret: SECRET },
      log: () => undefined,
      delivery: { ...FAST, baseDelayMs: 100 },
    });
    receiver.respondWith([503]);
    m.observe(usage(budgetId, 8));
    await waitFor(() => expect(deliveriesFor(budgetId)).toHaveLength(1));
    await m.close(5_000);
    const [row] = await alertRows(budgetId);
    expect(row?.delivered_at).toBeInstanceOf(Date);
    expect(deliveriesFor(budgetId).map((d) => d.status)).toEqual([503, 200]);
  });
});
