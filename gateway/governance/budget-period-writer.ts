// Keeps `budget_periods` (one row per budget and window: used_usd, used_tokens) up to date
// from the counters, off the hot path: every few seconds and once more on shutdown. Rows of
// past windows stay, which is the usage history the dashboard shows across resets.
//
// With Redis every replica writes the same shared values (idempotent). With in-process
// counters each replica only knows its own traffic; run one replica, or use Redis.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { formatNanoUsd } from "../../lib/pricing/usd-units";
import type { GovernanceCounters } from "./counters";
import type { LimitCatalog } from "./limit-catalog";
import { budgetItems } from "./limit-items";

export interface BudgetPeriodWriterOptions {
  readonly pool: pg.Pool;
  readonly counters: GovernanceCounters;
  readonly catalog: () => LimitCatalog | null;
  readonly intervalMs: number;
  readonly log: (message: string) => void;
}

export interface BudgetPeriodWriter {
  /** Writes every budget's current-window usage that changed since the last write. */
  flush(now?: Date): Promise<void>;
  /** After a manual reset: write the (zeroed) period again even if the value looks unchanged. */
  forget(budgetId: string): void;
  close(): Promise<void>;
}

interface PeriodRow {
  budgetId: string;
  windowStart: Date;
  windowEnd: Date;
  usedUsd: string;
  usedTokens: string;
}

const UPSERT = `
  INSERT INTO budget_periods (id, budget_id, window_start, window_end, used_usd, used_tokens)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::numeric[], $6::bigint[])
  ON CONFLICT (budget_id, window_start) DO UPDATE
    SET used_usd = EXCLUDED.used_usd, used_tokens = EXCLUDED.used_tokens, window_end = EXCLUDED.window_end`;

export function startBudgetPeriodWriter(options: BudgetPeriodWriterOptions): BudgetPeriodWriter {
  /** budgetId → "windowStart|usd|tokens" last written, so idle budgets cost no writes. */
  const written = new Map<string, string>();
  let running: Promise<void> | null = null;

  async function writeOnce(now: Date): Promise<void> {
    const catalog = options.catalog();
    if (!catalog || catalog.budgets.length === 0) return;
    const rows: PeriodRow[] = [];
    for (const budget of catalog.budgets) {
      const items = budgetItems(budget.limit, now);
      const first = items[0];
      if (!first || first.bucketStartMs === null || first.bucketEndMs === null) continue;
      const usage = await options.counters.usage(items, now);
      const usd = items.findIndex((i) => i.metric === "usd");
      const tokens = items.findIndex((i) => i.metric === "tokens");
      const row: PeriodRow = {
        budgetId: budget.id,
        windowStart: new Date(first.bucketStartMs),
        windowEnd: new Date(first.bucketEndMs),
        usedUsd: formatNanoUsd(usd < 0 ? 0 : (usage[usd]?.current ?? 0)),
        usedTokens: String(tokens < 0 ? 0 : (usage[tokens]?.current ?? 0)),
      };
      const signature = `${first.bucketStartMs}|${row.usedUsd}|${row.usedTokens}`;
      const previous = written.get(budget.id);
      // Nothing spent and nothing written yet: no row (a budget nobody uses has no history).
      if (previous === signature || (previous === undefined && row.usedUsd === "0" && row.usedTokens === "0")) continue;
      rows.push(row);
      written.set(budget.id, signature);
    }
    if (rows.length === 0) return;
    await options.pool.query(UPSERT, [
      rows.map(() => randomUUID()),
      rows.map((r) => r.budgetId),
      rows.map((r) => r.windowStart),
      rows.map((r) => r.windowEnd),
      rows.map((r) => r.usedUsd),
      rows.map((r) => r.usedTokens),
    ]).catch((error: unknown) => {
      // Next round retries: forget what this round claimed to have written.
      for (const r of rows) written.delete(r.budgetId);
      throw error;
    });
  }

  function flush(now = new Date()): Promise<void> {
    // One write at a time: a slow database must not pile up overlapping rounds.
    running ??= writeOnce(now)
      .catch((error: unknown) => options.log(`budget periods: write failed, retrying next round: ${(error as Error)?.message ?? String(error)}`))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const timer = setInterval(() => void flush(), options.intervalMs);
  timer.unref();

  return {
    flush,
    // A marker that matches no signature: the next round writes the zeroed usage.
    forget: (budgetId) => void written.set(budgetId, "reset"),
    async close() {
      clearInterval(timer);
      await running;
      await flush();
    },
  };
}
