// Routing rules, upserted by name; their targets and fallbacks are replaced as a whole.
// `fallback_on` and `retry` are not part of the file format yet and are left as they are.
import type { RoutingRuleConfig } from "../../validation/routing-rules";
import type { ApplyContext } from "./context";
import { type Snapshot, type SnapshotValue } from "./snapshot";

interface TargetRow {
  kind: "target" | "fallback";
  position: number;
  provider: string;
  model: string;
  weight: number;
  providerKey: string | null;
}

export async function applyRoutingRule(ctx: ApplyContext, rule: RoutingRuleConfig): Promise<void> {
  const { tx } = ctx;
  const existing = await tx.routingRule.findUnique({
    where: { name: rule.name },
    include: { targets: { orderBy: [{ kind: "asc" }, { position: "asc" }] } },
  });

  const scope = rule.scope ?? "global";
  const scopeId = scope === "global" || rule.scope_name === undefined ? null : resolveScopeId(ctx, scope, rule.scope_name);
  const fields = {
    description: rule.description ?? "",
    condition: rule.when ?? "",
    scope,
    scopeId,
    priority: rule.priority ?? 0,
    enabled: rule.enabled ?? true,
  };
  const targets: TargetRow[] = [
    ...rule.targets.map((t, position) => ({
      kind: "target" as const,
      position,
      provider: t.provider,
      model: t.model,
      weight: t.weight ?? 1,
      providerKey: t.key ?? null,
    })),
    ...(rule.fallbacks ?? []).map((t, position) => ({
      kind: "fallback" as const,
      position,
      provider: t.provider,
      model: t.model,
      weight: 1,
      providerKey: t.key ?? null,
    })),
  ];

  const after: Snapshot = { ...fields, targets: targetsSnapshot(targets) };
  const before: Snapshot | null = existing
    ? {
        description: existing.description,
        condition: existing.condition,
        scope: existing.scope,
        scopeId: existing.scopeId,
        priority: existing.priority,
        enabled: existing.enabled,
        targets: targetsSnapshot(existing.targets),
      }
    : null;
  if (ctx.isUnchanged("routing_rules", before, after)) return;

  const row = existing
    ? await tx.routingRule.update({ where: { id: existing.id }, data: fields })
    : await tx.routingRule.create({ data: { name: rule.name, ...fields } });
  await tx.routingTarget.deleteMany({ where: { ruleId: row.id } });
  await tx.routingTarget.createMany({ data: targets.map((t) => ({ ruleId: row.id, ...t })) });
  await ctx.recordChange("routing_rules", { id: row.id, name: row.name }, before, after);
}

function resolveScopeId(ctx: ApplyContext, scope: "customer" | "team" | "key", name: string): string | null {
  const ids = scope === "customer" ? ctx.customerIds : scope === "team" ? ctx.teamIds : ctx.virtualKeyIds;
  return ids.get(name) ?? null;
}

function targetsSnapshot(rows: readonly TargetRow[]): SnapshotValue {
  return [...rows]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.position - b.position)
    .map((t) => ({
      kind: t.kind,
      position: t.position,
      provider: t.provider,
      model: t.model,
      weight: t.weight,
      key: t.providerKey,
    }));
}
