// Routing rules over the admin API (PRODUCT §4.1, §10), and the explain proxy (§4.5).
// A condition that does not compile is rejected on save with CEL's message and position
// (issue 5, item 1): stored, it would silently never match.
import { Prisma, type PrismaClient } from "../db/client";
import { env, requireDatabaseUrl } from "../env";
import { signInternalToken } from "../internal-auth/internal-token";
import { signingKeyFor } from "../internal-auth/dashboard-signing-key";
import { validateCondition, type CelConditionError } from "../routing/cel-environment";
import {
  routingRuleResponseSchema,
  type CreateRoutingRuleInput,
  type ExplainRequestInput,
  type ReorderRoutingRulesInput,
  type RetryInput,
  type RoutingRuleResponse,
  type UpdateRoutingRuleInput,
} from "../validation/admin-routing-rules";
import type { RoutingScope } from "../validation/routing-rules";
import type { Actor } from "./actor";
import { AdminError, notFound, type AdminIssue } from "./errors";
import { audit, mutate, type Tx } from "./transaction";

/**
 * 400 `{ error: { code: "invalid_condition", message, position: {start, end}, excerpt } }`.
 * Not an AdminError: the dashboard's rule builder needs the position to underline the
 * mistake, which the generic error body has no place for. Route handlers map it.
 */
export class InvalidConditionError extends Error {
  readonly status = 400;
  constructor(readonly condition: CelConditionError) {
    super(`Invalid condition: ${condition.message}`);
    this.name = "InvalidConditionError";
  }

  toJSON(): { error: { code: "invalid_condition"; message: string; position: { start: number; end: number }; excerpt: string; issues: AdminIssue[] } } {
    return {
      error: {
        code: "invalid_condition",
        message: this.message,
        position: { start: this.condition.position.start, end: this.condition.position.end },
        excerpt: this.condition.excerpt,
        issues: [{ path: "condition", message: this.condition.message }],
      },
    };
  }
}

function assertConditionCompiles(condition: string | undefined): void {
  const invalid = condition === undefined ? null : validateCondition(condition);
  if (invalid) throw new InvalidConditionError(invalid);
}

const RULE_INCLUDE = { targets: { orderBy: [{ kind: "asc" }, { position: "asc" }] } } satisfies Prisma.RoutingRuleInclude;
type RuleRow = Prisma.RoutingRuleGetPayload<{ include: typeof RULE_INCLUDE }>;

// The gateway reads `retry` as a camelCase partial RetryPolicy (gateway/routing/retry-policy.ts).
const RETRY_FIELDS = [
  ["max_attempts", "maxAttempts"],
  ["base_delay_ms", "baseDelayMs"],
  ["max_delay_ms", "maxDelayMs"],
] as const;

function retryToDb(retry: RetryInput): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [api, db] of RETRY_FIELDS) if (retry[api] !== undefined) out[db] = retry[api];
  return out;
}

function retryFromDb(json: unknown): Record<string, number> | null {
  if (!json || typeof json !== "object" || Array.isArray(json)) return null;
  const stored = json as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [api, db] of RETRY_FIELDS) if (typeof stored[db] === "number") out[api] = stored[db];
  return out;
}

function toApiRule(row: RuleRow, scopeName: string | null): RoutingRuleResponse {
  const targets = row.targets.filter((t) => t.kind === "target");
  const fallbacks = row.targets.filter((t) => t.kind === "fallback");
  return routingRuleResponseSchema.parse({
    id: row.id,
    name: row.name,
    description: row.description,
    condition: row.condition,
    scope: row.scope,
    scope_id: row.scopeId,
    scope_name: scopeName,
    priority: row.priority,
    enabled: row.enabled,
    targets: targets.map((t) => ({ provider: t.provider, model: t.model, weight: t.weight, key: t.providerKey })),
    fallbacks: fallbacks.map((t) => ({ provider: t.provider, model: t.model, key: t.providerKey })),
    fallback_on: Array.isArray(row.fallbackOn) ? row.fallbackOn.filter((v): v is string => typeof v === "string") : null,
    retry: retryFromDb(row.retry),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  });
}

/** Names of the scoped entities of many rules in at most three queries. */
async function scopeNames(db: Tx, rows: readonly RuleRow[]): Promise<(row: RuleRow) => string | null> {
  const idsOf = (scope: RoutingScope) => rows.filter((r) => r.scope === scope && r.scopeId !== null).map((r) => r.scopeId as string);
  const select = { id: true, name: true } as const;
  const [customers, teams, keys] = await Promise.all([
    db.customer.findMany({ where: { id: { in: idsOf("customer") } }, select }),
    db.team.findMany({ where: { id: { in: idsOf("team") } }, select }),
    db.virtualKey.findMany({ where: { id: { in: idsOf("key") } }, select }),
  ]);
  const names = new Map<string, string>();
  for (const [scope, list] of [["customer", customers], ["team", teams], ["key", keys]] as const) {
    for (const e of list) names.set(`${scope}:${e.id}`, e.name);
  }
  return (row) => (row.scopeId === null ? null : (names.get(`${row.scope}:${row.scopeId}`) ?? null));
}

async function present(db: Tx, row: RuleRow): Promise<RoutingRuleResponse> {
  return toApiRule(row, (await scopeNames(db, [row]))(row));
}

async function findRule(db: Tx, id: string): Promise<RuleRow> {
  const row = await db.routingRule.findUnique({ where: { id }, include: RULE_INCLUDE });
  if (!row) throw notFound("routing rule", id);
  return row;
}

// Highest priority first: the gateway's order within a scope (gateway/routing/compile-rules.ts).
const RULE_ORDER = [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }] satisfies Prisma.RoutingRuleOrderByWithRelationInput[];

export async function listRoutingRules(prisma: PrismaClient): Promise<RoutingRuleResponse[]> {
  const rows = await prisma.routingRule.findMany({ include: RULE_INCLUDE, orderBy: RULE_ORDER });
  const names = await scopeNames(prisma, rows);
  return rows.map((row) => toApiRule(row, names(row)));
}

export async function getRoutingRule(prisma: PrismaClient, id: string): Promise<RoutingRuleResponse> {
  return present(prisma, await findRule(prisma, id));
}

function invalid(path: string, message: string): AdminError {
  return new AdminError("invalid_request", message, [{ path, message }]);
}

/** The scoped entity's id from its name or id; 400 when it does not exist. */
async function resolveScopeId(tx: Tx, scope: RoutingScope, ref: { name?: string | null; id?: string | null }): Promise<string | null> {
  const given = ref.name ?? ref.id ?? null;
  if (scope === "global") {
    if (given !== null) throw invalid(ref.name != null ? "scope_name" : "scope_id", "a global rule has no scope_name / scope_id");
    return null;
  }
  if (given === null) throw invalid("scope", `scope ${scope} needs scope_name or scope_id`);
  const where = ref.name != null ? { name: ref.name } : { id: ref.id as string };
  const select = { id: true } as const;
  const found =
    scope === "customer"
      ? await tx.customer.findFirst({ where, select })
      : scope === "team"
        ? await tx.team.findFirst({ where, select })
        : await tx.virtualKey.findFirst({ where, select });
  if (!found) throw invalid(ref.name != null ? "scope_name" : "scope_id", `no ${scope === "key" ? "virtual key" : scope} ${given}`);
  return found.id;
}

type TargetInput = { provider: string; model: string; weight?: number; key?: string };

/** Every target / fallback must name an existing provider (and key of it): else 400. */
async function assertTargetsExist(tx: Tx, lists: { field: "targets" | "fallbacks"; items: readonly TargetInput[] }[]): Promise<void> {
  const names = [...new Set(lists.flatMap((l) => l.items.map((t) => t.provider)))];
  const providers = await tx.provider.findMany({ where: { name: { in: names } }, select: { name: true, keys: { select: { name: true } } } });
  const keysOf = new Map(providers.map((p) => [p.name, new Set(p.keys.map((k) => k.name))]));
  const issues: AdminIssue[] = [];
  for (const { field, items } of lists) {
    items.forEach((t, i) => {
      const keys = keysOf.get(t.provider);
      if (!keys) issues.push({ path: `${field}.${i}.provider`, message: `no provider named ${t.provider}` });
      else if (t.key !== undefined && !keys.has(t.key)) issues.push({ path: `${field}.${i}.key`, message: `provider ${t.provider} has no key named ${t.key}` });
    });
  }
  if (issues.length > 0) throw new AdminError("invalid_request", `Unknown provider or key: ${issues.map((i) => i.message).join("; ")}`, issues);
}

function targetRows(targets: readonly TargetInput[], fallbacks: readonly TargetInput[]) {
  return [
    ...targets.map((t, position) => ({ kind: "target" as const, position, provider: t.provider, model: t.model, weight: t.weight ?? 1, providerKey: t.key ?? null })),
    ...fallbacks.map((t, position) => ({ kind: "fallback" as const, position, provider: t.provider, model: t.model, weight: 1, providerKey: t.key ?? null })),
  ];
}

export async function createRoutingRule(prisma: PrismaClient, actor: Actor, input: CreateRoutingRuleInput): Promise<RoutingRuleResponse> {
  assertConditionCompiles(input.condition);
  return mutate(prisma, async (tx) => {
    const scope = input.scope ?? "global";
    const scopeId = await resolveScopeId(tx, scope, { name: input.scope_name, id: input.scope_id });
    const fallbacks = input.fallbacks ?? [];
    await assertTargetsExist(tx, [
      { field: "targets", items: input.targets },
      { field: "fallbacks", items: fallbacks },
    ]);
    const created = await tx.routingRule.create({
      data: {
        name: input.name,
        description: input.description ?? "",
        condition: input.condition ?? "",
        scope,
        scopeId,
        priority: input.priority ?? 0,
        enabled: input.enabled ?? true,
        fallbackOn: input.fallback_on == null ? Prisma.DbNull : input.fallback_on,
        retry: input.retry == null ? Prisma.DbNull : retryToDb(input.retry),
        targets: { create: targetRows(input.targets, fallbacks) },
      },
      select: { id: true },
    });
    const after = await present(tx, await findRule(tx, created.id));
    await audit(tx, actor, { action: "create", entityType: "routing_rule", entityId: after.id, entityName: after.name, after });
    return after;
  });
}

export async function updateRoutingRule(prisma: PrismaClient, actor: Actor, id: string, input: UpdateRoutingRuleInput): Promise<RoutingRuleResponse> {
  assertConditionCompiles(input.condition);
  return mutate(prisma, async (tx) => {
    const existing = await findRule(tx, id);
    const before = await present(tx, existing);
    const scope = input.scope ?? existing.scope;
    const refGiven = input.scope_name !== undefined || input.scope_id !== undefined;
    // Keep the scoped entity unless the scope kind changed or a new one is named.
    const scopeId =
      refGiven || scope !== existing.scope
        ? await resolveScopeId(tx, scope, { name: input.scope_name, id: input.scope_id })
        : existing.scopeId;

    const replaceTargets = input.targets !== undefined || input.fallbacks !== undefined;
    const targets = input.targets ?? before.targets.map((t) => ({ ...t, key: t.key ?? undefined }));
    const fallbacks = input.fallbacks ?? before.fallbacks.map((t) => ({ ...t, key: t.key ?? undefined }));
    if (replaceTargets) {
      await assertTargetsExist(tx, [
        { field: "targets", items: input.targets ?? [] },
        { field: "fallbacks", items: input.fallbacks ?? [] },
      ]);
    }
    await tx.routingRule.update({
      where: { id },
      data: {
        name: input.name,
        description: input.description === null ? "" : input.description,
        condition: input.condition,
        scope,
        scopeId,
        priority: input.priority,
        enabled: input.enabled,
        // Prisma wants DbNull, not null, to store SQL NULL in a Json? column.
        fallbackOn: input.fallback_on === undefined ? undefined : (input.fallback_on ?? Prisma.DbNull),
        retry: input.retry === undefined ? undefined : input.retry === null ? Prisma.DbNull : retryToDb(input.retry),
      },
    });
    if (replaceTargets) {
      await tx.routingTarget.deleteMany({ where: { ruleId: id } });
      await tx.routingTarget.createMany({ data: targetRows(targets, fallbacks).map((t) => ({ ruleId: id, ...t })) });
    }
    const after = await present(tx, await findRule(tx, id));
    await audit(tx, actor, { action: "update", entityType: "routing_rule", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

export async function deleteRoutingRule(prisma: PrismaClient, actor: Actor, id: string): Promise<RoutingRuleResponse> {
  return mutate(prisma, async (tx) => {
    const before = await present(tx, await findRule(tx, id));
    await tx.routingRule.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "routing_rule", entityId: id, entityName: before.name, before });
    return before;
  });
}

/** Spacing between reordered priorities, so one rule can later be put between two by hand. */
export const REORDER_STEP = 10;

/**
 * Drag to reorder: the first id gets the highest priority. Rules not named keep theirs
 * (the dashboard reorders within one scope, and scopes are ordered before priorities).
 */
export async function reorderRoutingRules(prisma: PrismaClient, actor: Actor, input: ReorderRoutingRulesInput): Promise<RoutingRuleResponse[]> {
  return mutate(prisma, async (tx) => {
    const rows = await tx.routingRule.findMany({ where: { id: { in: input.ids } }, select: { id: true, name: true, priority: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = input.ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new AdminError("invalid_request", `Unknown routing rule id(s): ${missing.join(", ")}`, missing.map((id) => ({ path: "ids", message: `no rule ${id}` })));
    const before = input.ids.map((id) => ({ id, name: byId.get(id)!.name, priority: byId.get(id)!.priority }));
    const after = input.ids.map((id, index) => ({ id, name: byId.get(id)!.name, priority: (input.ids.length - index) * REORDER_STEP }));
    for (const rule of after) await tx.routingRule.update({ where: { id: rule.id }, data: { priority: rule.priority } });
    // One audit row for the whole drag: it is one decision, and its before/after is the order.
    await audit(tx, actor, { action: "reorder", entityType: "routing_rule", entityId: input.ids[0]!, entityName: null, before, after });
    const updated = await tx.routingRule.findMany({ where: { id: { in: input.ids } }, include: RULE_INCLUDE, orderBy: RULE_ORDER });
    const names = await scopeNames(tx, updated);
    return updated.map((row) => toApiRule(row, names(row)));
  });
}

// ─── explain (PRODUCT §4.5) ──────────────────────────────────────────────────────────────

export const EXPLAIN_TIMEOUT_MS = 10_000;
const EXPLAIN_TOKEN_TTL_SECONDS = 60;

/** The gateway the dashboard talks to: GATEWAY_URL, else the local one on GATEWAY_PORT. */
export function gatewayBaseUrl(): string {
  return (process.env.GATEWAY_URL || `http://127.0.0.1:${env.gatewayPort}`).replace(/\/+$/, "");
}

export interface ExplainAnswer {
  status: number;
  body: unknown;
}

/**
 * Asks the gateway (which holds the compiled rules, key cooldowns and budget usage) to dry-run
 * the described request, authenticated with a 60-second internal token for this actor.
 */
export async function explainRoute(actor: Actor, input: ExplainRequestInput): Promise<ExplainAnswer> {
  const key = await signingKeyFor(requireDatabaseUrl());
  const token = signInternalToken(key, { sub: actor.userId ?? "admin-token", role: actor.role, aud: "gateway-admin" }, EXPLAIN_TOKEN_TTL_SECONDS);
  const url = `${gatewayBaseUrl()}/admin/routing/explain`;
  const unreachable = (detail: string): ExplainAnswer => ({
    status: 502,
    body: { error: { code: "gateway_unreachable", message: `The gateway at ${gatewayBaseUrl()} did not answer (${detail}); is it running?` } },
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(EXPLAIN_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
    return unreachable(timedOut ? `no answer within ${EXPLAIN_TIMEOUT_MS / 1000} s` : (cause?.code ?? (error instanceof Error ? error.message : String(error))));
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return {
      status: 502,
      body: { error: { code: "bad_gateway", message: `The gateway answered ${response.status} with a body that is not JSON` } },
    };
  }
}
