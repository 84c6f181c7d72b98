// Budget alerts (PRODUCT §5.3, issue 4 item 7): after each settled request the pipeline
// reports every budget's usage here; when usage reaches one of the budget's thresholds
// (default 80/95/100 %) an alert row is recorded and a signed webhook delivered, once per
// threshold per window, across all replicas.
//
// Exactly once across replicas: the row's unique key (budget_id, threshold, window_start)
// decides. Every replica that sees the crossing tries `INSERT … ON CONFLICT DO NOTHING
// RETURNING id`; PostgreSQL lets exactly one insert win, and only the replica that got a
// row back delivers. A replica that crashes between insert and delivery leaves the row
// with neither delivered_at nor delivery_error (visible in the dashboard, not re-sent).
//
// Hot path: observe() never awaits and never throws. An in-memory cache of the thresholds
// already handled per budget and window means that a request which crosses nothing new
// does no I/O at all; after a restart the first observation per crossed threshold costs
// one insert that conflicts.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ALERT_EVENT_TYPE, type AlertWebhookPayload } from "../../lib/alerts/payload";
import { crossedThresholds, HandledThresholds } from "./thresholds";
import { resolveWebhookTarget, type WebhookTarget } from "./webhook-config";
import { DEFAULT_DELIVERY_POLICY, deliverWebhook, type DeliveryPolicy } from "./webhook-delivery";

/** One budget's usage in its current window, as known right after a settle. */
export interface BudgetUsageObservation {
  /** `budgets.id`: the alert row references it. */
  readonly budgetId: string;
  /** customer | team | virtual_key | user | provider | model */
  readonly entityType: string;
  readonly entityId: string;
  readonly entityName?: string | null;
  /** `<n><unit>`, e.g. 1d. */
  readonly window: string;
  /**
   * Start of the window the usage belongs to. Must be stable for the whole window: for
   * calendar windows the window start, for rolling ones the counter bucket start
   * (CounterItem.bucketStartMs), never `now − window` — a moving start would make every
   * observation a "new window" and re-fire the alert.
   */
  readonly windowStart: Date;
  /** When the window resets (the payload's `window_end`). */
  readonly windowEnd: Date;
  readonly limitUsd?: number | null;
  readonly limitTokens?: number | null;
  readonly usedUsd: number;
  readonly usedTokens: number;
  /** Percentages (`budgets.alert_thresholds`); empty disables alerts for the budget. */
  readonly thresholds: readonly number[];
}

export interface AlertMonitorOptions {
  /** Anything with pg's query(); a pg.Pool in the gateway. */
  pool: Pick<pg.Pool, "query">;
  /** From the environment (webhookFromEnv()); missing parts come from the settings table. */
  webhook: WebhookTarget;
  log: (message: string) => void;
  fetchImpl?: typeof fetch;
  clock?: () => Date;
  delivery?: Partial<DeliveryPolicy>;
  /** How long close() waits for running deliveries before cutting them short. */
  closeTimeoutMs?: number;
}

/** The part of the monitor the request pipeline sees. */
export interface BudgetObserver {
  /** Fire-and-forget; call after every settle with each budget the request counted against. */
  observe(usage: BudgetUsageObservation): void;
}

export interface AlertMonitor extends BudgetObserver {
  /** Resolves when every alert started so far is recorded and its delivery finished. */
  whenIdle(): Promise<void>;
  /** Stops observing and waits (bounded) for running deliveries; for graceful shutdown. */
  close(timeoutMs?: number): Promise<void>;
}

interface InsertedAlert {
  id: string;
  threshold: number;
  triggeredAt: Date;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
// After close() aborts the deliveries still running, how long they get to record that.
const ABORT_GRACE_MS = 2_000;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isValidObservation(usage: BudgetUsageObservation): boolean {
  return (
    typeof usage.budgetId === "string" &&
    usage.budgetId !== "" &&
    usage.windowStart instanceof Date &&
    Number.isFinite(usage.windowStart.getTime()) &&
    usage.windowEnd instanceof Date &&
    Number.isFinite(usage.windowEnd.getTime()) &&
    Array.isArray(usage.thresholds)
  );
}

function waitAtMost(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function buildAlertPayload(usage: BudgetUsageObservation, alert: InsertedAlert): AlertWebhookPayload {
  return {
    type: ALERT_EVENT_TYPE,
    alert_id: alert.id,
    budget_id: usage.budgetId,
    entity: { type: usage.entityType, id: usage.entityId, name: usage.entityName ?? null },
    window: usage.window,
    window_start: usage.windowStart.toISOString(),
    window_end: usage.windowEnd.toISOString(),
    threshold_percent: alert.threshold,
    used_usd: usage.usedUsd,
    limit_usd: usage.limitUsd ?? null,
    used_tokens: usage.usedTokens,
    limit_tokens: usage.limitTokens ?? null,
    triggered_at: alert.triggeredAt.toISOString(),
  };
}

export function createAlertMonitor(options: AlertMonitorOptions): AlertMonitor {
  const { pool, log } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const clock = options.clock ?? (() => new Date());
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  const handled = new HandledThresholds();
  const inflight = new Set<Promise<void>>();
  const shutdown = new AbortController();
  let closed = false;

  function track(task: Promise<void>): void {
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
  }

  /** One round trip for all thresholds newly crossed by this observation. */
  async function insertAlerts(usage: BudgetUsageObservation, thresholds: readonly number[]): Promise<InsertedAlert[]> {
    const triggeredAt = clock();
    const values: unknown[] = [];
    const rows = thresholds.map((threshold) => {
      const base = values.length;
      values.push(randomUUID(), usage.budgetId, threshold, usage.windowStart, usage.usedUsd, Math.ceil(usage.usedTokens), triggeredAt);
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
    });
    const result = await pool.query<{ id: string; threshold: number }>(
      `INSERT INTO alerts (id, budget_id, threshold, window_start, used_usd, used_tokens, triggered_at)
       VALUES ${rows.join(", ")}
       ON CONFLICT (budget_id, threshold, window_start) DO NOTHING
       RETURNING id, threshold`,
      values,
    );
    return result.rows.map((row) => ({ id: row.id, threshold: row.threshold, triggeredAt })).sort((a, b) => a.threshold - b.threshold);
  }

  async function recordOutcome(alertId: string, outcome: { delivered: true } | { delivered: false; error: string }): Promise<void> {
    try {
      if (outcome.delivered) {
        await pool.query("UPDATE alerts SET delivered_at = $2, delivery_error = NULL WHERE id = $1", [alertId, clock()]);
      } else {
        await pool.query("UPDATE alerts SET delivery_error = $2 WHERE id = $1", [alertId, outcome.error.slice(0, 1000)]);
      }
    } catch (err) {
      log(`alerts: could not record the delivery outcome of alert ${alertId}: ${errorText(err)}`);
    }
  }

  async function deliver(usage: BudgetUsageObservation, alert: InsertedAlert): Promise<void> {
    let target: WebhookTarget;
    try {
      target = await resolveWebhookTarget(pool, options.webhook);
    } catch (err) {
      await recordOutcome(alert.id, { delivered: false, error: `could not read the webhook settings: ${errorText(err)}` });
      return;
    }
    // No URL: the alert is recorded for the dashboard and that is all (documented).
    if (!target.url) return;
    if (!target.secret) log(`alerts: delivering alert ${alert.id} unsigned: no webhook secret is configured`);
    const result = await deliverWebhook(
      { url: target.url, secret: target.secret, alertId: alert.id, body: JSON.stringify(buildAlertPayload(usage, alert)) },
      { fetchImpl, clock, policy, shutdown: shutdown.signal },
    );
    if (result.ok) {
      await recordOutcome(alert.id, { delivered: true });
    } else {
      log(`alerts: webhook delivery of alert ${alert.id} failed: ${result.error}`);
      await recordOutcome(alert.id, { delivered: false, error: result.error });
    }
  }

  async function fire(usage: BudgetUsageObservation, thresholds: readonly number[]): Promise<void> {
    const windowStartMs = usage.windowStart.getTime();
    let inserted: InsertedAlert[];
    try {
      inserted = await insertAlerts(usage, thresholds);
    } catch (err) {
      // Let the next observation retry rather than losing the alert for the whole window.
      handled.release(usage.budgetId, windowStartMs, thresholds);
      log(`alerts: could not record alerts for budget ${usage.budgetId}: ${errorText(err)}`);
      return;
    }
    // Ascending, one after the other, so a receiver sees 80 % before 95 %.
    for (const alert of inserted) {
      const name = usage.entityName ?? usage.entityId;
      log(`alerts: budget ${usage.budgetId} (${usage.entityType} ${name}, ${usage.window}) reached ${alert.threshold}%`);
      await deliver(usage, alert);
    }
  }

  return {
    observe(usage) {
      if (closed) return;
      try {
        if (!isValidObservation(usage)) {
          log(`alerts: ignored an invalid budget usage observation for budget ${String(usage?.budgetId)}`);
          return;
        }
        const crossed = crossedThresholds(usage, usage.thresholds);
        if (crossed.length === 0) return;
        const fresh = handled.claim(usage.budgetId, usage.windowStart.getTime(), crossed);
        if (fresh.length === 0) return;
        track(fire(usage, fresh).catch((err: unknown) => log(`alerts: ${errorText(err)}`)));
      } catch (err) {
        log(`alerts: observe failed: ${errorText(err)}`);
      }
    },

    async whenIdle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },

    async close(timeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS) {
      closed = true;
      if (inflight.size === 0) return;
      if (await waitAtMost(Promise.allSettled([...inflight]), timeoutMs)) return;
      log(`alerts: ${inflight.size} alert delivery(ies) still running after ${timeoutMs} ms; cutting them short`);
      shutdown.abort();
      if (!(await waitAtMost(Promise.allSettled([...inflight]), ABORT_GRACE_MS))) {
        log(`alerts: ${inflight.size} alert(s) did not record their outcome before shutdown`);
      }
    },
  };
}

export { webhookFromEnv } from "./webhook-config";
