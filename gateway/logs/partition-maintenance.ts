// Day partitions of the request log (PRODUCT §7.4, issue 6): created ahead of time and dropped
// after the retention period. `migrate` creates a week ahead at start, which a gateway that
// runs for longer would outlive (rows would pile up in the DEFAULT partition); so every
// gateway repeats both steps hourly. The SQL functions take an advisory lock, so replicas
// doing it at the same moment are harmless.
//
// Retention: the `log_retention_days` setting (dashboard Settings page) wins over
// SWITCHYARD_LOG_RETENTION_DAYS; with neither, logs are kept forever. Rollups are not
// partitioned and stay, so charts outlive the raw rows.
import type pg from "pg";
import { ensureLogPartitions } from "../../lib/db/migrate";
import { SETTING_KEYS } from "../../lib/validation/settings";

export interface PartitionMaintenance {
  /** One pass now (tests; the timer calls it too). Never throws. */
  runOnce(): Promise<{ created: number; dropped: number; retentionDays: number | null }>;
  close(): void;
}

export function retentionDaysFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const raw = env.SWITCHYARD_LOG_RETENTION_DAYS;
  if (raw === undefined || raw === "") return null;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error(`SWITCHYARD_LOG_RETENTION_DAYS must be a whole number of days ≥ 1, got "${raw}"`);
  return days;
}

async function retentionFromSettings(pool: pg.Pool): Promise<number | null> {
  const result = await pool.query<{ value: unknown }>("SELECT value FROM settings WHERE key = $1", [SETTING_KEYS.logRetentionDays]);
  const value = result.rows[0]?.value;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : null;
}

export function startPartitionMaintenance(opts: {
  pool: pg.Pool;
  envRetentionDays: number | null;
  log: (message: string) => void;
  intervalMs?: number;
}): PartitionMaintenance {
  const { pool, log } = opts;
  async function runOnce() {
    try {
      const created = await ensureLogPartitions(pool);
      const retentionDays = (await retentionFromSettings(pool)) ?? opts.envRetentionDays;
      let dropped = 0;
      if (retentionDays !== null) {
        // Keep today and the `retentionDays - 1` days before it, in UTC like the partitions.
        const result = await pool.query<{ dropped: number }>(
          "SELECT switchyard_drop_log_partitions_before(((now() AT TIME ZONE 'UTC')::date - ($1::int - 1))) AS dropped",
          [retentionDays],
        );
        dropped = result.rows[0]?.dropped ?? 0;
      }
      if (created > 0 || dropped > 0) log(`log partitions: created ${created}, dropped ${dropped} (retention ${retentionDays ?? "unlimited"} days)`);
      return { created, dropped, retentionDays };
    } catch (error) {
      log(`log partition maintenance failed (retried next hour): ${(error as Error).message}`);
      return { created: 0, dropped: 0, retentionDays: null };
    }
  }
  const timer = setInterval(() => void runOnce(), opts.intervalMs ?? 3_600_000);
  timer.unref();
  return { runOnce, close: () => clearInterval(timer) };
}
