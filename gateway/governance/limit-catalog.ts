// Budgets and rate limits as stored (tables `budgets`, `rate_limits`) → the governance core's
// limit types, indexed once per config snapshot so the hot path only does map lookups.
//
// Stored entity ids are database ids, except for models (the model name or glob). The core
// matches provider limits by provider *name* (what routing picks), so provider ids are
// translated here; a limit on a provider or owner that no longer exists is dropped.
import type { WindowAlignment } from "../../lib/durations/windows";
import { DEFAULT_ALERT_THRESHOLDS } from "../alerts/thresholds";
import { indexLimits, type LimitIndex } from "./applicable-limits";
import type { BudgetLimit, LimitLevel, RateLimitRule } from "./types";

/** One `budgets` row, with Decimal / BigInt columns already converted to numbers. */
export interface BudgetRowData {
  readonly id: string;
  readonly entityType: LimitLevel;
  readonly entityId: string;
  readonly window: string;
  readonly limitUsd: number | null;
  readonly limitTokens: number | null;
  readonly alignment: WindowAlignment;
  /** `budgets.alert_thresholds` (percent); absent = the column default (80/95/100). */
  readonly alertThresholds?: readonly number[];
}

/** One `rate_limits` row; `window` is "" for a concurrency-only limit. */
export interface RateLimitRowData {
  readonly id: string;
  readonly entityType: LimitLevel;
  readonly entityId: string;
  readonly window: string;
  readonly maxRequests: number | null;
  readonly maxTokens: number | null;
  readonly maxConcurrent: number | null;
  readonly alignment: WindowAlignment;
}

/** Display names and provider names, to resolve stored ids. */
export interface EntityNames {
  readonly providerNameById: ReadonlyMap<string, string>;
  readonly keyNameById: ReadonlyMap<string, string>;
  readonly teamNameById: ReadonlyMap<string, string>;
  readonly customerNameById: ReadonlyMap<string, string>;
}

/** A budget row as a core limit; `id` links counters to `budget_periods` and resets. */
export interface ConfiguredBudget {
  readonly id: string;
  /** One row may hold a USD and a token limit: both are enforced. */
  readonly limit: BudgetLimit;
  /** Alert thresholds in percent (alerts/alert-monitor.ts); empty disables alerts. */
  readonly alertThresholds: readonly number[];
}

export interface LimitCatalog {
  readonly budgets: readonly ConfiguredBudget[];
  readonly budgetsById: ReadonlyMap<string, ConfiguredBudget>;
  /**
   * The budget row behind each core limit, by identity: applicableLimits() hands out these
   * very objects, so after a settle the pipeline finds the row id and alert thresholds of
   * every budget a request counted against without a lookup by value.
   */
  readonly budgetByLimit: ReadonlyMap<BudgetLimit, ConfiguredBudget>;
  readonly rateLimits: readonly RateLimitRule[];
  readonly index: LimitIndex;
}

interface Owner {
  readonly entityId: string;
  readonly entityName?: string;
}

function ownerOf(level: LimitLevel, storedId: string, names: EntityNames): Owner | null {
  switch (level) {
    case "provider": {
      const name = names.providerNameById.get(storedId);
      return name === undefined ? null : { entityId: name, entityName: name };
    }
    case "virtual_key":
      return named(storedId, names.keyNameById);
    case "team":
      return named(storedId, names.teamNameById);
    case "customer":
      return named(storedId, names.customerNameById);
    case "user":
    case "model":
      return { entityId: storedId };
  }
}

function named(id: string, byId: ReadonlyMap<string, string>): Owner | null {
  const name = byId.get(id);
  return name === undefined ? null : { entityId: id, entityName: name };
}

export function buildLimitCatalog(budgetRows: readonly BudgetRowData[], rateLimitRows: readonly RateLimitRowData[], names: EntityNames): LimitCatalog {
  const budgets: ConfiguredBudget[] = [];
  for (const row of budgetRows) {
    const owner = ownerOf(row.entityType, row.entityId, names);
    if (!owner || (row.limitUsd === null && row.limitTokens === null)) continue;
    const limit: BudgetLimit = {
      level: row.entityType,
      ...owner,
      window: row.window,
      alignment: row.alignment,
      ...(row.limitUsd === null ? {} : { limitUsd: row.limitUsd }),
      ...(row.limitTokens === null ? {} : { limitTokens: row.limitTokens }),
    };
    const alertThresholds = Object.freeze([...(row.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS)]);
    budgets.push(Object.freeze({ id: row.id, limit: Object.freeze(limit), alertThresholds }));
  }
  const rateLimits: RateLimitRule[] = [];
  for (const row of rateLimitRows) {
    const owner = ownerOf(row.entityType, row.entityId, names);
    if (!owner) continue;
    rateLimits.push(
      Object.freeze({
        level: row.entityType,
        ...owner,
        // "" marks a concurrency-only limit (the config loader's storage convention).
        ...(row.window === "" ? {} : { window: row.window }),
        alignment: row.alignment,
        ...(row.maxRequests === null ? {} : { maxRequests: row.maxRequests }),
        ...(row.maxTokens === null ? {} : { maxTokens: row.maxTokens }),
        ...(row.maxConcurrent === null ? {} : { maxConcurrent: row.maxConcurrent }),
      }),
    );
  }
  return Object.freeze({
    budgets,
    budgetsById: new Map(budgets.map((b) => [b.id, b])),
    budgetByLimit: new Map(budgets.map((b) => [b.limit, b])),
    rateLimits,
    index: indexLimits({ budgets: budgets.map((b) => b.limit), rateLimits }),
  });
}
