// Which configured limits apply to a request (PRODUCT §5.1: a request must pass every level
// that applies). Indexed once per config snapshot so the hot path does map lookups, plus a
// glob scan over model-level limits only.
import { matchGlob } from "../../lib/matching/glob";
import type { ApplicableLimits } from "./counter-items";
import type { BudgetLimit, GovernanceRequest, LimitLevel, RateLimitRule } from "./types";

export interface LimitCatalog {
  readonly budgets: readonly BudgetLimit[];
  readonly rateLimits: readonly RateLimitRule[];
}

export interface LimitIndex {
  readonly byEntity: ReadonlyMap<string, ApplicableLimits>;
  /** Model-level limits, keyed by model name or glob. */
  readonly models: ReadonlyArray<{ readonly pattern: string; readonly limits: ApplicableLimits }>;
}

export function indexLimits(catalog: LimitCatalog): LimitIndex {
  const groups = new Map<string, { level: LimitLevel; entityId: string; budgets: BudgetLimit[]; rateLimits: RateLimitRule[] }>();
  const group = (level: LimitLevel, entityId: string) => {
    const id = entityKey(level, entityId);
    let found = groups.get(id);
    if (!found) {
      found = { level, entityId, budgets: [], rateLimits: [] };
      groups.set(id, found);
    }
    return found;
  };
  for (const budget of catalog.budgets) group(budget.level, budget.entityId).budgets.push(budget);
  for (const rule of catalog.rateLimits) group(rule.level, rule.entityId).rateLimits.push(rule);
  const byEntity = new Map<string, ApplicableLimits>();
  const models: Array<{ pattern: string; limits: ApplicableLimits }> = [];
  for (const [id, g] of groups) {
    const limits = { budgets: g.budgets, rateLimits: g.rateLimits };
    if (g.level === "model") models.push({ pattern: g.entityId, limits });
    else byEntity.set(id, limits);
  }
  return { byEntity, models };
}

export function applicableLimits(request: GovernanceRequest, index: LimitIndex): ApplicableLimits {
  const parts: ApplicableLimits[] = [];
  const owners: Array<[LimitLevel, string | null]> = [
    ["virtual_key", request.keyId],
    ["user", request.userId],
    ["team", request.teamId],
    ["customer", request.customerId],
    ["provider", request.provider],
  ];
  for (const [level, id] of owners) {
    const found = id === null ? undefined : index.byEntity.get(entityKey(level, id));
    if (found) parts.push(found);
  }
  const qualified = `${request.provider}/${request.model}`;
  for (const { pattern, limits } of index.models) {
    if (matchGlob(pattern, qualified) || matchGlob(pattern, request.model)) parts.push(limits);
  }
  // Order does not matter here: buildCounterItems sorts by decision order.
  return { budgets: parts.flatMap((p) => p.budgets), rateLimits: parts.flatMap((p) => p.rateLimits) };
}

function entityKey(level: LimitLevel, entityId: string): string {
  return `${level}\u0000${entityId}`;
}
