// In-process counters start empty; without this, restarting the gateway would forget what
// was spent in the current windows and let a key spend its daily budget twice. At start,
// every windowed counter (budgets, token and request limits) is filled from the database:
//
// - Buckets that start on an hour (1h and longer: d / w / M / Y windows and hourly ones)
//   read the hourly `usage_rollups` for the whole hours, plus `request_logs` for the current
//   partial hour — a few rows per limit instead of a scan of the window's logs.
// - Shorter buckets (1m, 5m), user-level limits (rollups have no user dimension), and budgets
//   reset by hand in this window (only usage after `budget_periods.reset_at` counts) read
//   `request_logs` directly.
// - Amounts: USD = cost_usd, tokens = input + output tokens, requests = rows with a 2xx status
//   (rejected and failed requests are not in the counters either; upstream errors that did
//   reach a provider are, so this slightly undercounts requests after a restart).
// - Rolling windows also fill the previous bucket, which the sliding approximation reads.
// Concurrency needs no seeding: nothing is in flight in a process that just started.
import type pg from "pg";
import { usdToNano } from "../../lib/pricing/usd-units";
import type { LimitCatalog } from "./limit-catalog";
import { budgetItems, rateLimitItems } from "./limit-items";
import type { MemoryCounters } from "./memory-counters";
import type { CounterItem, LimitLevel } from "./types";

const HOUR_MS = 3_600_000;

interface Range {
  readonly fromMs: number;
  readonly toMs: number;
}

interface SeedTarget {
  readonly key: string;
  readonly item: CounterItem;
  readonly range: Range;
  /** Set for budgets reset by hand in this bucket: read only the logs after the reset. */
  readonly logsOnly: boolean;
}

export async function seedMemoryCounters(pool: pg.Pool, counters: MemoryCounters, catalog: LimitCatalog, now: Date): Promise<number> {
  const nowMs = now.getTime();
  const resets = await resetTimes(pool, catalog, now);
  const targets: SeedTarget[] = [];
  const addTargets = (items: CounterItem[], resetAtMs: number | undefined) => {
    for (const item of items) {
      if (item.metric === "concurrent" || item.bucketStartMs === null || item.bucketEndMs === null) continue;
      const reset = resetAtMs !== undefined && resetAtMs > item.bucketStartMs ? resetAtMs : undefined;
      targets.push({ key: item.key, item, range: { fromMs: reset ?? item.bucketStartMs, toMs: nowMs }, logsOnly: reset !== undefined });
      if (item.previousKey !== null) {
        const lengthMs = item.bucketEndMs - item.bucketStartMs;
        targets.push({ key: item.previousKey, item, range: { fromMs: item.bucketStartMs - lengthMs, toMs: item.bucketStartMs }, logsOnly: false });
      }
    }
  };
  for (const budget of catalog.budgets) addTargets(budgetItems(budget.limit, now), resets.get(budget.id));
  for (const rule of catalog.rateLimits) addTargets(rateLimitItems(rule, now), undefined);

  // Several limits can share a counter key (same entity, window and metric): seed it once.
  const seen = new Set<string>();
  const entries: Array<{ key: string; value: number; ttlMs: number }> = [];
  for (const target of targets) {
    if (seen.has(target.key)) continue;
    seen.add(target.key);
    const value = await usedIn(pool, target);
    if (value > 0) entries.push({ key: target.key, value, ttlMs: target.item.ttlMs });
  }
  counters.seed(entries, now);
  return entries.length;
}

async function resetTimes(pool: pg.Pool, catalog: LimitCatalog, now: Date): Promise<Map<string, number>> {
  if (catalog.budgets.length === 0) return new Map();
  const result = await pool.query<{ budget_id: string; reset_at: Date }>(
    `SELECT budget_id, max(reset_at) AS reset_at FROM budget_periods
      WHERE budget_id = ANY($1) AND reset_at IS NOT NULL AND window_end > $2 GROUP BY budget_id`,
    [catalog.budgets.map((b) => b.id), now],
  );
  return new Map(result.rows.map((row) => [row.budget_id, row.reset_at.getTime()]));
}

function amountSql(metric: CounterItem["metric"], table: "logs" | "rollups"): string {
  switch (metric) {
    case "usd":
      return "coalesce(sum(cost_usd), 0)::text";
    case "tokens":
      return "coalesce(sum(input_tokens + output_tokens), 0)::text";
    case "requests":
      return table === "logs" ? "count(*) FILTER (WHERE status < 400)::text" : "coalesce(sum(requests) FILTER (WHERE status_class = '2xx'), 0)::text";
    case "concurrent":
      return "0::text";
  }
}

/** The WHERE condition selecting one entity's rows; rollups store "" for absent dimensions. */
function entityFilter(level: LimitLevel, entityId: string, params: unknown[]): string {
  const column: Record<Exclude<LimitLevel, "model">, string> = {
    virtual_key: "virtual_key_id",
    team: "team_id",
    customer: "customer_id",
    user: "user_id",
    provider: "provider",
  };
  if (level === "model") {
    params.push(globToLike(entityId));
    const p = `$${params.length}`;
    return `(model LIKE ${p} OR (provider || '/' || model) LIKE ${p})`;
  }
  params.push(entityId);
  return `${column[level]} = $${params.length}`;
}

/** Model globs (`*`, `?`) as a LIKE pattern, escaping LIKE's own wildcards. */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%").replace(/\?/g, "_");
}

async function sumOf(pool: pg.Pool, table: "logs" | "rollups", item: CounterItem, range: Range): Promise<number> {
  if (range.toMs <= range.fromMs) return 0;
  const params: unknown[] = [new Date(range.fromMs), new Date(range.toMs)];
  const where = entityFilter(item.ref.level, item.ref.entityId, params);
  const sql =
    table === "logs"
      ? `SELECT ${amountSql(item.metric, "logs")} AS used FROM request_logs WHERE created_at >= $1 AND created_at < $2 AND ${where}`
      : `SELECT ${amountSql(item.metric, "rollups")} AS used FROM usage_rollups WHERE granularity = 'hour' AND bucket >= $1 AND bucket < $2 AND ${where}`;
  const result = await pool.query<{ used: string }>(sql, params);
  const used = result.rows[0]?.used ?? "0";
  return item.metric === "usd" ? usdToNano(Number(used)) : Number(used);
}

async function usedIn(pool: pg.Pool, target: SeedTarget): Promise<number> {
  const { item, range } = target;
  const hourAligned = range.fromMs % HOUR_MS === 0;
  if (target.logsOnly || !hourAligned || item.ref.level === "user") return sumOf(pool, "logs", item, range);
  // Whole hours from the rollups, the current partial hour from the logs.
  const lastHourMs = Math.max(range.fromMs, Math.floor(range.toMs / HOUR_MS) * HOUR_MS);
  const [hours, rest] = await Promise.all([
    sumOf(pool, "rollups", item, { fromMs: range.fromMs, toMs: lastHourMs }),
    sumOf(pool, "logs", item, { fromMs: lastHourMs, toMs: range.toMs }),
  ]);
  return hours + rest;
}
