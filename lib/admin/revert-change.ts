// Roll back one change from the audit log (issue 10 item 4): an update of a routing rule or a
// virtual key is undone by writing its `before` back through the normal admin services (so
// the revert is validated, audited and itself revertable); a creation is undone by deleting
// the rule / revoking the key. Audit snapshots come in two shapes — the admin API's response
// (dashboard and API changes) and the config file's snapshot (`npm run config -- apply`) —
// and both are read here.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import type { UpdateRoutingRuleInput } from "../validation/admin-routing-rules";
import { updateRoutingRuleInputSchema } from "../validation/admin-routing-rules";
import type { UpdateVirtualKeyInput } from "../validation/admin-virtual-keys";
import { updateVirtualKeyInputSchema } from "../validation/admin-virtual-keys";
import type { Actor } from "./actor";
import { AdminError, notFound } from "./errors";
import { deleteRoutingRule, updateRoutingRule } from "./routing-rules";
import { revokeVirtualKey, updateVirtualKey } from "./virtual-keys";

export const REVERTIBLE_ENTITIES = ["routing_rule", "virtual_key"] as const;

export interface RevertResult {
  readonly reverted: { readonly audit_id: string; readonly entity_type: string; readonly entity_id: string; readonly action: string };
  /** What the entity is now (the admin API's shape). */
  readonly entity: unknown;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

function nameOf(value: unknown, field: "name" | "email"): string | null {
  if (typeof value === "string") return value;
  const ref = record(value);
  return ref && typeof ref[field] === "string" ? (ref[field] as string) : null;
}

function cannot(message: string): AdminError {
  return new AdminError("conflict", message);
}

/** A rule snapshot (API response or config snapshot) → the update that restores it. */
export function ruleUpdateFrom(before: Json): UpdateRoutingRuleInput {
  const targetsOf = (list: unknown, kind?: "target" | "fallback") =>
    (Array.isArray(list) ? list : [])
      .map(record)
      .filter((t): t is Json => t !== null && (kind === undefined || t.kind === kind))
      .map((t) => ({ provider: String(t.provider), model: String(t.model), ...(kind !== "fallback" && typeof t.weight === "number" ? { weight: t.weight } : {}), ...(typeof t.key === "string" ? { key: t.key } : {}) }));
  const configShape = Array.isArray(before.targets) && before.targets.some((t) => record(t)?.kind !== undefined);
  const input: Json = {
    description: typeof before.description === "string" ? before.description : null,
    condition: typeof before.condition === "string" ? before.condition : "",
    priority: before.priority,
    enabled: before.enabled,
    scope: before.scope,
    scope_id: (configShape ? before.scopeId : before.scope_id) ?? null,
    targets: configShape ? targetsOf(before.targets, "target") : targetsOf(before.targets),
    fallbacks: configShape ? targetsOf(before.targets, "fallback") : targetsOf(before.fallbacks).map(({ weight: _w, ...f }) => f),
  };
  if ("fallback_on" in before) input.fallback_on = before.fallback_on;
  if ("retry" in before) input.retry = before.retry;
  return parseSnapshot(updateRoutingRuleInputSchema, input, "routing rule");
}

/** A key snapshot (API response or config snapshot) → the update that restores it. */
export function keyUpdateFrom(before: Json): UpdateVirtualKeyInput {
  const budgets = (Array.isArray(before.budgets) ? before.budgets : []).map(record).filter((b): b is Json => b !== null).flatMap((b) => {
    const usd = b.usd ?? b.limitUsd;
    const tokens = b.tokens ?? b.limitTokens;
    const common = { window: String(b.window), ...(b.alignment ? { alignment: b.alignment } : {}), ...(Array.isArray(b.alert_thresholds ?? b.alertThresholds) ? { alert_thresholds: b.alert_thresholds ?? b.alertThresholds } : {}) };
    return [...(usd != null ? [{ usd: Number(usd), ...common }] : []), ...(tokens != null ? [{ tokens: Number(tokens), ...common }] : [])];
  });
  const rateLimits = (Array.isArray(before.rate_limits) ? before.rate_limits : []).map(record).filter((r): r is Json => r !== null).map((r) => {
    const requests = r.requests ?? r.maxRequests;
    const tokens = r.tokens ?? r.maxTokens;
    const concurrent = r.concurrent ?? r.maxConcurrent;
    return {
      ...(typeof r.window === "string" && r.window !== "" ? { window: r.window } : {}),
      ...(requests != null ? { requests: Number(requests) } : {}),
      ...(tokens != null ? { tokens: Number(tokens) } : {}),
      ...(concurrent != null ? { concurrent: Number(concurrent) } : {}),
    };
  });
  const input: Json = {
    team: nameOf(before.team, "name"),
    customer: nameOf(before.customer, "name"),
    user: nameOf(before.user, "email"),
    models: before.models,
    providers: before.providers,
    expires_at: before.expires_at ?? null,
    active: before.active,
    tags: before.tags,
    metadata: before.metadata,
    ...(record(before.settings) ? { settings: before.settings } : {}),
    budgets,
    rate_limits: rateLimits,
  };
  return parseSnapshot(updateVirtualKeyInputSchema, input, "virtual key");
}

function parseSnapshot<S extends z.ZodType>(schema: S, input: Json, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw cannot(`This ${what} change cannot be reverted automatically: its earlier state does not validate today (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
  }
  return parsed.data;
}

export async function revertAuditEntry(prisma: PrismaClient, actor: Actor, auditId: string): Promise<RevertResult> {
  const entry = await prisma.auditLog.findUnique({ where: { id: auditId } });
  if (!entry) throw notFound("audit entry", auditId);
  if (!(REVERTIBLE_ENTITIES as readonly string[]).includes(entry.entityType) || !entry.entityId) {
    throw cannot(`Reverting is supported for routing rules and virtual keys; this entry is a ${entry.entityType} change`);
  }
  const reverted = { audit_id: entry.id, entity_type: entry.entityType, entity_id: entry.entityId, action: entry.action };
  const before = record(entry.before);
  const exists = entry.entityType === "routing_rule"
    ? await prisma.routingRule.findUnique({ where: { id: entry.entityId }, select: { id: true } })
    : await prisma.virtualKey.findUnique({ where: { id: entry.entityId }, select: { id: true, revokedAt: true } });
  if (!exists) throw cannot(`The ${entry.entityType.replace("_", " ")} "${entry.entityName ?? entry.entityId}" no longer exists; a deletion cannot be reverted`);

  if (entry.action === "create") {
    const entity = entry.entityType === "routing_rule" ? await deleteRoutingRule(prisma, actor, entry.entityId) : await revokeVirtualKey(prisma, actor, entry.entityId);
    return { reverted, entity };
  }
  if (entry.action !== "update" || !before) throw cannot(`A "${entry.action}" cannot be reverted; only creations and updates can`);
  if (entry.entityType === "routing_rule") return { reverted, entity: await updateRoutingRule(prisma, actor, entry.entityId, ruleUpdateFrom(before)) };
  if ("revokedAt" in exists && exists.revokedAt) throw cannot("The key has been revoked since; a revoked key stays revoked");
  return { reverted, entity: await updateVirtualKey(prisma, actor, entry.entityId, keyUpdateFrom(before)) };
}
