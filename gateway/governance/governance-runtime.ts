// The long-lived side of governance in a gateway process: the counters (Redis or memory),
// the enforcer the pipeline admits and settles with, seeding memory counters at start,
// persisting budget periods, and applying manual resets. The pipeline sees only `enforcer`.
import type pg from "pg";
import type { ConfigSnapshot } from "../config/snapshot";
import { startBudgetPeriodWriter, type BudgetPeriodWriter } from "./budget-period-writer";
import { listenForBudgetResets } from "./budget-reset-listener";
import type { GovernanceCounters } from "./counters";
import { createCounters } from "./create-counters";
import { createEnforcer, type Enforcer } from "./enforce";
import { budgetItems } from "./limit-items";
import type { FailMode } from "./redis-counters";
import { seedMemoryCounters } from "./seed-memory-counters";

export interface GovernanceRuntimeOptions {
  readonly databaseUrl: string;
  readonly pool: pg.Pool;
  readonly snapshot: () => ConfigSnapshot | null;
  /** null: in-process counters. */
  readonly redisUrl: string | null;
  readonly redisKeyPrefix?: string;
  readonly failMode: FailMode;
  /** How often budget_periods are written (default 5 s). */
  readonly persistIntervalMs?: number;
  readonly log: (message: string) => void;
}

export interface GovernanceRuntime {
  readonly enforcer: Enforcer;
  readonly counters: GovernanceCounters;
  /** Zeroes a budget's counters for its current window; false when the budget is unknown. */
  resetBudget(budgetId: string, now?: Date): Promise<boolean>;
  readonly periods: BudgetPeriodWriter;
  close(): Promise<void>;
}

export async function startGovernance(options: GovernanceRuntimeOptions): Promise<GovernanceRuntime> {
  const handle = createCounters({
    redisUrl: options.redisUrl,
    failMode: options.failMode,
    log: options.log,
    ...(options.redisKeyPrefix === undefined ? {} : { keyPrefix: options.redisKeyPrefix }),
  });
  const { counters } = handle;
  const catalog = () => options.snapshot()?.limits ?? null;

  if (handle.memory) {
    const limits = catalog();
    if (limits) {
      try {
        await seedMemoryCounters(options.pool, handle.memory, limits, new Date());
      } catch (error) {
        await handle.close();
        throw new Error(`governance could not seed its counters from the database: ${(error as Error).message}`);
      }
    }
  }

  const periods = startBudgetPeriodWriter({ pool: options.pool, counters, catalog, intervalMs: options.persistIntervalMs ?? 5_000, log: options.log });

  async function resetBudget(budgetId: string, now = new Date()): Promise<boolean> {
    const budget = catalog()?.budgetsById.get(budgetId);
    if (!budget) return false;
    await counters.reset(budgetItems(budget.limit, now));
    periods.forget(budgetId);
    return true;
  }

  const resets = listenForBudgetResets({
    databaseUrl: options.databaseUrl,
    onReset: (budgetId) => {
      resetBudget(budgetId).then(
        (found) => options.log(found ? `budget ${budgetId}: counters reset` : `budget reset for unknown budget ${budgetId} ignored`),
        (error: unknown) => options.log(`budget ${budgetId}: reset failed: ${(error as Error)?.message ?? String(error)}`),
      );
    },
    log: options.log,
  });

  return {
    enforcer: createEnforcer({ counters }),
    counters,
    periods,
    resetBudget,
    async close() {
      await resets.close();
      // Last write after in-flight requests settled (server.close drains first).
      await periods.close();
      await handle.close();
    },
  };
}
