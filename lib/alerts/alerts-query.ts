// The dashboard / admin API side of budget alerts (PRODUCT §5.3, §10): listing and
// acknowledging the rows the gateway's alert monitor records. The gateway writes alerts
// through pg directly; reads and acknowledgements go through Prisma like every admin route.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/client";

export const DEFAULT_ALERTS_LIMIT = 50;
export const MAX_ALERTS_LIMIT = 200;

/** Query string of GET /api/v1/alerts. Unknown parameters are rejected (STYLE §6). */
export const alertsQuerySchema = z.strictObject({
  budget_id: z.string().trim().min(1).max(256).optional(),
  acknowledged: z
    .enum(["true", "false"], { error: 'expected "true" or "false"' })
    .transform((v) => v === "true")
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ALERTS_LIMIT).default(DEFAULT_ALERTS_LIMIT),
});

export type AlertsQuery = z.output<typeof alertsQuerySchema>;

export type QueryIssue = { path: string; message: string };
export type ParseResult<T> = { ok: true; data: T } | { ok: false; issues: QueryIssue[] };

export function parseAlertsQuery(params: URLSearchParams): ParseResult<AlertsQuery> {
  const raw: Record<string, string> = {};
  const issues: QueryIssue[] = [];
  for (const [key, value] of params) {
    // ?budget_id=a&budget_id=b would silently drop one filter; say so instead.
    if (key in raw) issues.push({ path: key, message: "given more than once" });
    raw[key] = value;
  }
  const parsed = alertsQuerySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) issues.push({ path: key, message: "unknown query parameter" });
      } else {
        issues.push({ path: issue.path.join(".") || "(query)", message: issue.message });
      }
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, data: parsed.data };
}

const ALERT_SELECT = {
  id: true,
  budgetId: true,
  threshold: true,
  windowStart: true,
  usedUsd: true,
  usedTokens: true,
  triggeredAt: true,
  deliveredAt: true,
  deliveryError: true,
  acknowledgedAt: true,
  budget: { select: { entityType: true, entityId: true, window: true, alignment: true, limitUsd: true, limitTokens: true } },
} satisfies Prisma.AlertSelect;

export type AlertRow = Prisma.AlertGetPayload<{ select: typeof ALERT_SELECT }>;

/** Newest first; the id breaks ties between alerts of one instant (one jump over 80 and 95). */
export async function listAlerts(prisma: PrismaClient, query: AlertsQuery): Promise<AlertRow[]> {
  const where: Prisma.AlertWhereInput = {};
  if (query.budget_id !== undefined) where.budgetId = query.budget_id;
  if (query.acknowledged !== undefined) where.acknowledgedAt = query.acknowledged ? { not: null } : null;
  return prisma.alert.findMany({
    where,
    select: ALERT_SELECT,
    orderBy: [{ triggeredAt: "desc" }, { threshold: "desc" }, { id: "desc" }],
    take: query.limit,
  });
}

export interface ApiAlert {
  id: string;
  budget_id: string;
  threshold_percent: number;
  window_start: string;
  used_usd: number | null;
  used_tokens: number | null;
  triggered_at: string;
  delivered_at: string | null;
  delivery_error: string | null;
  acknowledged_at: string | null;
  budget: {
    entity_type: string;
    entity_id: string;
    window: string;
    alignment: string;
    limit_usd: number | null;
    limit_tokens: number | null;
  };
}

export function toApiAlert(row: AlertRow): ApiAlert {
  return {
    id: row.id,
    budget_id: row.budgetId,
    threshold_percent: row.threshold,
    window_start: row.windowStart.toISOString(),
    used_usd: row.usedUsd === null ? null : Number(row.usedUsd.toString()),
    used_tokens: row.usedTokens === null ? null : Number(row.usedTokens),
    triggered_at: row.triggeredAt.toISOString(),
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    delivery_error: row.deliveryError,
    acknowledged_at: row.acknowledgedAt?.toISOString() ?? null,
    budget: {
      entity_type: row.budget.entityType,
      entity_id: row.budget.entityId,
      window: row.budget.window,
      alignment: row.budget.alignment,
      limit_usd: row.budget.limitUsd === null ? null : Number(row.budget.limitUsd.toString()),
      limit_tokens: row.budget.limitTokens === null ? null : Number(row.budget.limitTokens),
    },
  };
}

/** Who acknowledges, for audit_logs (actor_user_id, actor_label). */
export interface AlertActor {
  userId: string | null;
  /** Email, or "admin-token". */
  label: string;
}

export type AcknowledgeResult = { status: "not_found" } | { status: "acknowledged" | "already_acknowledged"; alert: AlertRow };

/**
 * Sets acknowledged_at once. Idempotent: acknowledging again keeps the first time and
 * writes no second audit row. The conditional update decides between concurrent
 * acknowledgements, so exactly one of them is audited.
 */
export async function acknowledgeAlert(prisma: PrismaClient, id: string, actor: AlertActor, now: Date = new Date()): Promise<AcknowledgeResult> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: now } });
    const alert = await tx.alert.findUnique({ where: { id }, select: ALERT_SELECT });
    if (!alert) return { status: "not_found" } as const;
    if (count === 0) return { status: "already_acknowledged", alert } as const;
    await tx.auditLog.create({
      data: {
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: "acknowledge",
        entityType: "alert",
        entityId: id,
        entityName: `${alert.threshold}% of budget ${alert.budgetId} (${alert.budget.entityType} ${alert.budget.entityId}, ${alert.budget.window})`,
        before: { acknowledged_at: null },
        after: { acknowledged_at: now.toISOString() },
      },
    });
    return { status: "acknowledged", alert } as const;
  });
}
