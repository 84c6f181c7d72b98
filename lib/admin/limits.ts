// Budgets and rate limits attached to customers, teams and keys, as the entity endpoints
// read and write them. Writing reuses the config apply step (lib/config/apply-steps/limits.ts)
// so both paths match budgets on (window, alignment) and keep their usage history.
import type { LimitEntity } from "../db/generated/enums";
import { desiredLimits, readLimits, writeLimits, type BudgetRow } from "../config/apply-steps/limits";
import type { Budget as BudgetConfig, RateLimit as RateLimitConfig } from "../validation/limits";
import type { Budget, RateLimit } from "../db/generated/client";
import type { z } from "zod";
import type { budgetRowResponseSchema, rateLimitRowResponseSchema } from "../validation/admin-common";
import { forbidden } from "./errors";
import type { Tx } from "./transaction";

export type BudgetRowResponse = z.output<typeof budgetRowResponseSchema>;
export type RateLimitRowResponse = z.output<typeof rateLimitRowResponseSchema>;
export interface LimitsResponse {
  budgets: BudgetRowResponse[];
  rate_limits: RateLimitRowResponse[];
}

export function toBudgetRow(b: Budget): BudgetRowResponse {
  return {
    id: b.id,
    window: b.window,
    alignment: b.alignment,
    usd: b.limitUsd === null ? null : Number(b.limitUsd.toString()),
    tokens: b.limitTokens === null ? null : Number(b.limitTokens),
    alert_thresholds: b.alertThresholds,
  };
}

export function toRateLimitRow(r: RateLimit): RateLimitRowResponse {
  return {
    id: r.id,
    // Concurrency-only limits are stored with an empty window.
    window: r.window === "" ? null : r.window,
    requests: r.maxRequests,
    tokens: r.maxTokens === null ? null : Number(r.maxTokens),
    concurrent: r.maxConcurrent,
  };
}

/** Limits of many entities of one type in two queries (no N+1 on list endpoints). */
export async function loadLimits(db: Tx, entityType: LimitEntity, ids: readonly string[]): Promise<(id: string) => LimitsResponse> {
  const where = { entityType, entityId: { in: [...ids] } };
  const budgets = await db.budget.findMany({ where, orderBy: [{ window: "asc" }, { id: "asc" }] });
  const rateLimits = await db.rateLimit.findMany({ where, orderBy: [{ window: "asc" }, { id: "asc" }] });
  return (id) => ({
    budgets: budgets.filter((b) => b.entityId === id).map(toBudgetRow),
    rate_limits: rateLimits.filter((r) => r.entityId === id).map(toRateLimitRow),
  });
}

/**
 * Replaces the lists the input names; a list left out stays as it is (PATCH semantics).
 * Returns the desired budget rows so callers can check them against a team's budgets.
 */
export async function replaceLimits(
  tx: Tx,
  owner: { entityType: LimitEntity; entityId: string },
  input: { budgets?: BudgetConfig[]; rate_limits?: RateLimitConfig[] },
): Promise<void> {
  if (input.budgets === undefined && input.rate_limits === undefined) return;
  const current = await readLimits(tx, owner);
  const wanted = desiredLimits(input.budgets, input.rate_limits);
  await writeLimits(tx, owner, current, {
    budgets: input.budgets === undefined ? current.budgets : wanted.budgets,
    rateLimits: input.rate_limits === undefined ? current.rateLimits : wanted.rateLimits,
  });
}

export function budgetRowsOf(budgets: BudgetConfig[] | undefined): readonly BudgetRow[] {
  return desiredLimits(budgets, undefined).budgets;
}

/**
 * PRODUCT §8: a team admin gives keys budgets within the team's. A key limit above the
 * team's limit for the same window and alignment is refused; windows the team has no
 * budget for are not constrained here (the team's other budgets still apply at runtime).
 */
export async function assertWithinTeamBudgets(
  tx: Tx,
  teamId: string,
  rows: readonly { window: string; alignment: "calendar" | "rolling"; limitUsd: string | null; limitTokens: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { name: true } });
  const teamBudgets = await tx.budget.findMany({ where: { entityType: "team", entityId: teamId } });
  for (const row of rows) {
    const cap = teamBudgets.find((b) => b.window === row.window && b.alignment === row.alignment);
    if (!cap) continue;
    if (row.limitUsd !== null && cap.limitUsd !== null && cap.limitUsd.lessThan(row.limitUsd)) {
      throw forbidden(
        `Key budget of $${row.limitUsd} per ${row.window} exceeds team "${team?.name ?? teamId}"'s budget of $${cap.limitUsd.toString()} per ${row.window}`,
      );
    }
    if (row.limitTokens !== null && cap.limitTokens !== null && cap.limitTokens < BigInt(row.limitTokens)) {
      throw forbidden(
        `Key budget of ${row.limitTokens} tokens per ${row.window} exceeds team "${team?.name ?? teamId}"'s budget of ${cap.limitTokens.toString()} tokens per ${row.window}`,
      );
    }
  }
}
