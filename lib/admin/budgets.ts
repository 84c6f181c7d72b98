// Budgets as rows of their own (/api/v1/budgets): current window, usage, manual reset and
// history (PRODUCT §5.3).
//
// Usage of the current window comes from the budget_periods row the gateway keeps for that
// window when there is one (it is what enforcement counts); otherwise it is summed from
// request_logs for the budget's entity over the window — exact to the request, and the only
// source that works for every window size and alignment (usage_rollups are hourly buckets).
import { Prisma, type PrismaClient } from "../db/client";
import type { Budget, BudgetPeriod } from "../db/generated/client";
import type { LimitEntity } from "../db/generated/enums";
import { windowBounds } from "../durations/windows";
import {
  budgetPeriodResponseSchema,
  budgetResponseSchema,
  type BudgetsQuery,
  type CreateBudgetInput,
  type UpdateBudgetInput,
} from "../validation/admin-limits";
import { DEFAULT_ALERT_THRESHOLDS } from "../validation/limits";
import { normalizeDecimal } from "../config/apply-steps/limits";
import type { z } from "zod";
import type { Actor } from "./actor";
import { AdminError, notFound } from "./errors";
import { assertMayWriteLimitsOf, visibleLimitsWhere } from "./limit-scope";
import { assertWithinTeamBudgets, toBudgetRow } from "./limits";
import { audit, mutate, type Tx } from "./transaction";

export type BudgetResponse = z.output<typeof budgetResponseSchema>;
export type BudgetPeriodResponse = z.output<typeof budgetPeriodResponseSchema>;

export const BUDGET_RESET_CHANNEL = "budget_reset";

// request_logs column holding each entity's id (the model name for `model`).
const ENTITY_COLUMN: Record<LimitEntity, Prisma.Sql> = {
  customer: Prisma.sql`customer_id`,
  team: Prisma.sql`team_id`,
  virtual_key: Prisma.sql`virtual_key_id`,
  user: Prisma.sql`user_id`,
  provider: Prisma.sql`provider`,
  model: Prisma.sql`model`,
};

async function usageOf(db: Tx, budget: Budget, now: Date): Promise<Omit<BudgetResponse, keyof ReturnType<typeof toBudgetRow> | "entity_type" | "entity_id" | "created_at" | "updated_at">> {
  const bounds = windowBounds(budget.window, now, budget.alignment);
  const period = await db.budgetPeriod.findUnique({ where: { budgetId_windowStart: { budgetId: budget.id, windowStart: bounds.start } } });
  let usedUsd: number;
  let usedTokens: number;
  if (period) {
    usedUsd = Number(period.usedUsd.toString());
    usedTokens = Number(period.usedTokens);
  } else {
    const [row] = await db.$queryRaw<{ usd: Prisma.Decimal | null; tokens: bigint | null }[]>`
      SELECT sum(cost_usd) AS usd, sum(input_tokens + output_tokens)::bigint AS tokens
      FROM request_logs
      WHERE ${ENTITY_COLUMN[budget.entityType]} = ${budget.entityId}
        AND created_at >= ${bounds.start} AND created_at < ${bounds.end}`;
    usedUsd = Number(row?.usd?.toString() ?? 0);
    usedTokens = Number(row?.tokens ?? 0n);
  }
  const percents: number[] = [];
  if (budget.limitUsd !== null && budget.limitUsd.greaterThan(0)) percents.push((usedUsd / Number(budget.limitUsd.toString())) * 100);
  if (budget.limitTokens !== null && budget.limitTokens > 0n) percents.push((usedTokens / Number(budget.limitTokens)) * 100);
  // A rolling window never "resets": its end is always now + the oldest request ageing out.
  return {
    current_window: { start: bounds.start.toISOString(), end: bounds.end.toISOString(), resets_at: bounds.end.toISOString() },
    used_usd: usedUsd,
    used_tokens: usedTokens,
    percent_used: percents.length > 0 ? Math.round(Math.max(...percents) * 100) / 100 : null,
    usage_source: period ? "budget_periods" : "request_logs",
    reset_at: period?.resetAt?.toISOString() ?? null,
  };
}

async function present(db: Tx, budget: Budget, now = new Date()): Promise<BudgetResponse> {
  return budgetResponseSchema.parse({
    ...toBudgetRow(budget),
    entity_type: budget.entityType,
    entity_id: budget.entityId,
    ...(await usageOf(db, budget, now)),
    created_at: budget.createdAt.toISOString(),
    updated_at: budget.updatedAt.toISOString(),
  });
}

export async function listBudgets(prisma: PrismaClient, actor: Actor, query: BudgetsQuery, now = new Date()): Promise<BudgetResponse[]> {
  const rows = await prisma.budget.findMany({
    where: { AND: [await visibleLimitsWhere(prisma, actor), { entityType: query.entity_type, entityId: query.entity_id }] },
    orderBy: [{ entityType: "asc" }, { entityId: "asc" }, { window: "asc" }, { id: "asc" }],
  });
  const out: BudgetResponse[] = [];
  for (const row of rows) out.push(await present(prisma, row, now));
  return out;
}

async function findBudget(db: Tx, actor: Actor, id: string): Promise<Budget> {
  const row = await db.budget.findFirst({ where: { AND: [{ id }, await visibleLimitsWhere(db, actor)] } });
  if (!row) throw notFound("budget", id);
  return row;
}

export async function getBudget(prisma: PrismaClient, actor: Actor, id: string): Promise<BudgetResponse> {
  return present(prisma, await findBudget(prisma, actor, id));
}

function limitRow(budget: { window: string; alignment: "calendar" | "rolling"; usd?: number | null; tokens?: number | null }) {
  return {
    window: budget.window,
    alignment: budget.alignment,
    limitUsd: budget.usd === undefined || budget.usd === null ? null : normalizeDecimal(budget.usd),
    limitTokens: budget.tokens === undefined || budget.tokens === null ? null : String(budget.tokens),
  };
}

export async function createBudget(prisma: PrismaClient, actor: Actor, input: CreateBudgetInput): Promise<BudgetResponse> {
  return mutate(prisma, async (tx) => {
    const owner = { entityType: input.entity_type, entityId: input.entity_id };
    const { constrainedByTeam } = await assertMayWriteLimitsOf(tx, actor, owner);
    const alignment = input.alignment ?? "calendar";
    if (constrainedByTeam) await assertWithinTeamBudgets(tx, constrainedByTeam, [limitRow({ ...input, alignment })]);
    const row = await tx.budget.create({
      data: {
        ...owner,
        window: input.window,
        alignment,
        limitUsd: input.usd === undefined ? null : new Prisma.Decimal(input.usd),
        limitTokens: input.tokens === undefined ? null : BigInt(input.tokens),
        alertThresholds: input.alert_thresholds ?? [...DEFAULT_ALERT_THRESHOLDS],
      },
    });
    const after = await present(tx, row);
    await audit(tx, actor, { action: "create", entityType: "budget", entityId: row.id, entityName: describe(row), after: toBudgetRow(row) });
    return after;
  });
}

export async function updateBudget(prisma: PrismaClient, actor: Actor, id: string, input: UpdateBudgetInput): Promise<BudgetResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findBudget(tx, actor, id);
    const { constrainedByTeam } = await assertMayWriteLimitsOf(tx, actor, existing);
    const usd = input.usd === undefined ? (existing.limitUsd === null ? null : Number(existing.limitUsd.toString())) : input.usd;
    const tokens = input.tokens === undefined ? (existing.limitTokens === null ? null : Number(existing.limitTokens)) : input.tokens;
    if (usd === null && tokens === null) {
      throw new AdminError("invalid_request", "A budget needs usd, tokens or both; delete it instead of clearing both");
    }
    if (constrainedByTeam) await assertWithinTeamBudgets(tx, constrainedByTeam, [limitRow({ ...existing, usd, tokens })]);
    const row = await tx.budget.update({
      where: { id },
      data: {
        limitUsd: usd === null ? null : new Prisma.Decimal(usd),
        limitTokens: tokens === null ? null : BigInt(tokens),
        alertThresholds: input.alert_thresholds,
      },
    });
    const after = await present(tx, row);
    await audit(tx, actor, { action: "update", entityType: "budget", entityId: id, entityName: describe(row), before: toBudgetRow(existing), after: toBudgetRow(row) });
    return after;
  });
}

/** Deleting a budget deletes its history (budget_periods cascade); the audit row keeps the limits. */
export async function deleteBudget(prisma: PrismaClient, actor: Actor, id: string): Promise<BudgetResponse> {
  return mutate(prisma, async (tx) => {
    const existing = await findBudget(tx, actor, id);
    await assertMayWriteLimitsOf(tx, actor, existing);
    const before = await present(tx, existing);
    await tx.budget.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "budget", entityId: id, entityName: describe(existing), before: toBudgetRow(existing) });
    return before;
  });
}

/**
 * Manual reset: the current window's period row gets reset_at / reset_by and its counters
 * start again from zero; the gateway zeroes its own counters on NOTIFY budget_reset. The usage
 * counted before the reset is kept in the audit row, so the history loses nothing.
 */
export async function resetBudget(prisma: PrismaClient, actor: Actor, id: string, now = new Date()): Promise<BudgetResponse> {
  return mutate(prisma, async (tx) => {
    const budget = await findBudget(tx, actor, id);
    await assertMayWriteLimitsOf(tx, actor, budget);
    const before = await present(tx, budget, now);
    const bounds = windowBounds(budget.window, now, budget.alignment);
    const reset = { usedUsd: new Prisma.Decimal(0), usedTokens: 0n, resetAt: now, resetBy: actor.label };
    await tx.budgetPeriod.upsert({
      where: { budgetId_windowStart: { budgetId: id, windowStart: bounds.start } },
      create: { budgetId: id, windowStart: bounds.start, windowEnd: bounds.end, ...reset },
      update: reset,
    });
    await tx.$executeRaw`SELECT pg_notify(${BUDGET_RESET_CHANNEL}, ${JSON.stringify({ budgetId: id })})`;
    const after = await present(tx, budget, now);
    await audit(tx, actor, {
      action: "reset",
      entityType: "budget",
      entityId: id,
      entityName: describe(budget),
      before: { window_start: before.current_window.start, used_usd: before.used_usd, used_tokens: before.used_tokens },
      after: { window_start: after.current_window.start, used_usd: after.used_usd, used_tokens: after.used_tokens, reset_at: now.toISOString() },
    });
    return after;
  });
}

function toApiPeriod(row: BudgetPeriod): BudgetPeriodResponse {
  return budgetPeriodResponseSchema.parse({
    id: row.id,
    window_start: row.windowStart.toISOString(),
    window_end: row.windowEnd.toISOString(),
    used_usd: Number(row.usedUsd.toString()),
    used_tokens: Number(row.usedTokens),
    reset_at: row.resetAt?.toISOString() ?? null,
    reset_by: row.resetBy,
  });
}

export async function budgetHistory(prisma: PrismaClient, actor: Actor, id: string): Promise<BudgetPeriodResponse[]> {
  await findBudget(prisma, actor, id);
  const rows = await prisma.budgetPeriod.findMany({ where: { budgetId: id }, orderBy: [{ windowStart: "desc" }, { id: "desc" }] });
  return rows.map(toApiPeriod);
}

function describe(budget: Budget): string {
  return `${budget.entityType} ${budget.entityId}, ${budget.window} (${budget.alignment})`;
}
