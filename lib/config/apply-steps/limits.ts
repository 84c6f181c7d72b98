// Budgets and rate limits of one entity, replaced by exactly the set the file lists.
//
// Budgets are matched on (window, alignment), the table's natural key, and updated in place:
// deleting and re-creating them would cascade-delete their usage history (budget_periods)
// and reset every running window on each apply. Rate limits carry no history and are
// replaced wholesale when they differ.
import { Prisma } from "../../db/client";
import type { LimitEntity } from "../../db/generated/enums";
import { isWindow, nominalWindowMs } from "../../durations/windows";
import { budgetAlignment, DEFAULT_ALERT_THRESHOLDS, type Budget, type RateLimit } from "../../validation/limits";
import type { Tx } from "./context";
import { canonicalJson, sameSnapshot, type SnapshotValue } from "./snapshot";

export interface LimitOwner {
  readonly entityType: LimitEntity;
  /** Row id, or the model name for `model`. */
  readonly entityId: string;
}

export interface BudgetRow {
  readonly window: string;
  readonly alignment: "calendar" | "rolling";
  /** Decimal as a normalized string (Decimal(20,10) in the table). */
  readonly limitUsd: string | null;
  /** BigInt as a string, so that the row is JSON-safe for the audit log. */
  readonly limitTokens: string | null;
  readonly alertThresholds: readonly number[];
}

export interface RateLimitRow {
  /** Empty for a concurrency-only limit, which has no window. */
  readonly window: string;
  readonly maxRequests: number | null;
  readonly maxTokens: string | null;
  readonly maxConcurrent: number | null;
}

export interface LimitSet {
  readonly budgets: readonly BudgetRow[];
  readonly rateLimits: readonly RateLimitRow[];
}

export const NO_LIMITS: LimitSet = { budgets: [], rateLimits: [] };

/** The rows a file's lists stand for: a USD and a token budget on one window share a row. */
export function desiredLimits(budgets: readonly Budget[] | undefined, rateLimits: readonly RateLimit[] | undefined): LimitSet {
  const rows = new Map<string, { -readonly [K in keyof BudgetRow]: BudgetRow[K] }>();
  for (const budget of budgets ?? []) {
    const alignment = budgetAlignment(budget);
    const key = `${budget.window}|${alignment}`;
    const row = rows.get(key) ?? {
      window: budget.window,
      alignment,
      limitUsd: null,
      limitTokens: null,
      alertThresholds: budget.alert_thresholds ?? DEFAULT_ALERT_THRESHOLDS,
    };
    if (budget.usd !== undefined) row.limitUsd = normalizeDecimal(budget.usd);
    if (budget.tokens !== undefined) row.limitTokens = String(budget.tokens);
    rows.set(key, row);
  }
  return sortLimits({
    budgets: [...rows.values()],
    rateLimits: (rateLimits ?? []).map((limit) => ({
      window: limit.window ?? "",
      maxRequests: limit.requests ?? null,
      maxTokens: limit.tokens === undefined ? null : String(limit.tokens),
      maxConcurrent: limit.concurrent ?? null,
    })),
  });
}

/** What the database holds now; `budgetIds` maps `window|alignment` to the budget row. */
export type CurrentLimits = LimitSet & { readonly budgetIds: ReadonlyMap<string, string> };

/** Reads an entity's limits; an entity that does not exist yet has none. */
export async function readLimits(tx: Tx, owner: LimitOwner | undefined): Promise<CurrentLimits> {
  if (owner === undefined) return { ...NO_LIMITS, budgetIds: new Map() };
  // Sequential: a transaction has one connection, and pg refuses overlapping queries on it.
  const budgets = await tx.budget.findMany({ where: owner });
  const rateLimits = await tx.rateLimit.findMany({ where: owner });
  return {
    ...sortLimits({
      budgets: budgets.map((b) => ({
        window: b.window,
        alignment: b.alignment,
        limitUsd: b.limitUsd === null ? null : normalizeDecimal(b.limitUsd),
        limitTokens: b.limitTokens === null ? null : b.limitTokens.toString(),
        alertThresholds: b.alertThresholds,
      })),
      rateLimits: rateLimits.map((r) => ({
        window: r.window,
        maxRequests: r.maxRequests,
        maxTokens: r.maxTokens === null ? null : r.maxTokens.toString(),
        maxConcurrent: r.maxConcurrent,
      })),
    }),
    budgetIds: new Map(budgets.map((b) => [`${b.window}|${b.alignment}`, b.id])),
  };
}

export function limitsSnapshot(limits: LimitSet): { budgets: SnapshotValue; rate_limits: SnapshotValue } {
  return {
    budgets: limits.budgets as unknown as SnapshotValue,
    rate_limits: limits.rateLimits as unknown as SnapshotValue,
  };
}

export async function writeLimits(
  tx: Tx,
  owner: LimitOwner,
  current: CurrentLimits,
  desired: LimitSet,
): Promise<void> {
  const wanted = new Set(desired.budgets.map((b) => `${b.window}|${b.alignment}`));
  const obsolete = [...current.budgetIds].filter(([key]) => !wanted.has(key)).map(([, id]) => id);
  if (obsolete.length > 0) await tx.budget.deleteMany({ where: { id: { in: obsolete } } });

  for (const budget of desired.budgets) {
    const existing = current.budgets.find((b) => b.window === budget.window && b.alignment === budget.alignment);
    if (existing && sameSnapshot(existing as unknown as SnapshotValue, budget as unknown as SnapshotValue)) continue;
    const data = {
      limitUsd: budget.limitUsd === null ? null : new Prisma.Decimal(budget.limitUsd),
      limitTokens: budget.limitTokens === null ? null : BigInt(budget.limitTokens),
      alertThresholds: [...budget.alertThresholds],
    };
    const id = current.budgetIds.get(`${budget.window}|${budget.alignment}`);
    if (id !== undefined) await tx.budget.update({ where: { id }, data });
    else await tx.budget.create({ data: { ...owner, window: budget.window, alignment: budget.alignment, ...data } });
  }

  if (canonicalJson(current.rateLimits) !== canonicalJson(desired.rateLimits)) {
    await tx.rateLimit.deleteMany({ where: owner });
    if (desired.rateLimits.length > 0) {
      await tx.rateLimit.createMany({
        data: desired.rateLimits.map((r) => ({
          ...owner,
          window: r.window,
          maxRequests: r.maxRequests,
          maxTokens: r.maxTokens === null ? null : BigInt(r.maxTokens),
          maxConcurrent: r.maxConcurrent,
        })),
      });
    }
  }
}

export function hasLimits(limits: LimitSet): boolean {
  return limits.budgets.length > 0 || limits.rateLimits.length > 0;
}

// Stored with 10 decimal places; normalizing the file's number the same way keeps a value
// such as 0.12345678901 from looking changed on every apply.
export function normalizeDecimal(value: number | string | Prisma.Decimal): string {
  return new Prisma.Decimal(value).toDecimalPlaces(10).toString();
}

function sortLimits(limits: LimitSet): LimitSet {
  const byWindow = (a: { window: string }, b: { window: string }) =>
    windowOrder(a.window) - windowOrder(b.window) || a.window.localeCompare(b.window);
  return {
    budgets: [...limits.budgets].sort((a, b) => byWindow(a, b) || a.alignment.localeCompare(b.alignment)),
    rateLimits: [...limits.rateLimits].sort((a, b) => byWindow(a, b) || canonicalJson(a).localeCompare(canonicalJson(b))),
  };
}

function windowOrder(window: string): number {
  // Rows written by other tools may hold windows this grammar rejects; sort them first.
  return isWindow(window) ? nominalWindowMs(window) : 0;
}
