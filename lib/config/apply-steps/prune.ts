// `apply --prune`: after the file is applied, what the database holds and the file does not
// mention is deleted — per kind, by the same natural names apply matches on. Limits of a
// deleted entity go with it (they hang off entity ids without a foreign key). Users, team
// memberships, settings other than model aliases, and logs are never pruned: the file does
// not describe them.
import type { LimitEntity } from "../../db/generated/enums";
import { MODEL_ALIASES_SETTING } from "../../validation/model-aliases";
import type { ConfigDocument } from "../../validation/config";
import type { ApplyContext, ConfigKind } from "./context";

async function deleteLimits(ctx: ApplyContext, entityType: LimitEntity, entityId: string): Promise<void> {
  await ctx.tx.budget.deleteMany({ where: { entityType, entityId } });
  await ctx.tx.rateLimit.deleteMany({ where: { entityType, entityId } });
}

export async function pruneUnmentioned(ctx: ApplyContext, document: ConfigDocument): Promise<void> {
  const { tx } = ctx;
  const names = <T>(items: readonly T[] | undefined, name: (item: T) => string) => new Set((items ?? []).map(name));
  const keep = {
    routing_rules: names(document.routing_rules, (r) => r.name),
    virtual_keys: names(document.virtual_keys, (k) => k.name),
    pricing: names(document.pricing, (p) => p.model),
    providers: names(document.providers, (p) => p.name),
    teams: names(document.teams, (t) => t.name),
    customers: names(document.customers, (c) => c.name),
    models: names(document.models, (m) => m.model),
  };
  const gone = async (kind: ConfigKind, id: string, name: string, before: unknown) => ctx.recordDelete(kind, { id, name }, before);

  // Dependents first: rules and keys name providers, teams and customers.
  for (const rule of await tx.routingRule.findMany({ where: { name: { notIn: [...keep.routing_rules] } }, select: { id: true, name: true, condition: true, scope: true } })) {
    await tx.routingRule.delete({ where: { id: rule.id } });
    await gone("routing_rules", rule.id, rule.name, rule);
  }
  for (const key of await tx.virtualKey.findMany({ where: { name: { notIn: [...keep.virtual_keys] } }, select: { id: true, name: true, displayPrefix: true } })) {
    await deleteLimits(ctx, "virtual_key", key.id);
    await tx.virtualKey.delete({ where: { id: key.id } });
    await gone("virtual_keys", key.id, key.name, key);
  }
  for (const price of await tx.modelPricing.findMany({ where: { model: { notIn: [...keep.pricing] } }, select: { id: true, model: true } })) {
    await tx.modelPricing.delete({ where: { id: price.id } });
    await gone("pricing", price.id, price.model, price);
  }
  // Keys of providers the file keeps but whose key list omits them.
  for (const provider of document.providers ?? []) {
    const listed = (provider.keys ?? []).map((k) => k.name);
    const stale = await tx.providerKey.findMany({ where: { provider: { name: provider.name }, name: { notIn: listed } }, select: { id: true, name: true } });
    for (const key of stale) {
      await tx.providerKey.delete({ where: { id: key.id } });
      await gone("provider_keys", key.id, `${provider.name}/${key.name}`, { id: key.id, name: key.name, provider: provider.name });
    }
  }
  for (const provider of await tx.provider.findMany({ where: { name: { notIn: [...keep.providers] } }, select: { id: true, name: true, type: true } })) {
    await deleteLimits(ctx, "provider", provider.id);
    await tx.provider.delete({ where: { id: provider.id } });
    await gone("providers", provider.id, provider.name, provider);
  }
  for (const team of await tx.team.findMany({ where: { name: { notIn: [...keep.teams] } }, select: { id: true, name: true } })) {
    await deleteLimits(ctx, "team", team.id);
    await tx.team.delete({ where: { id: team.id } });
    await gone("teams", team.id, team.name, team);
  }
  for (const customer of await tx.customer.findMany({ where: { name: { notIn: [...keep.customers] } }, select: { id: true, name: true } })) {
    await deleteLimits(ctx, "customer", customer.id);
    await tx.customer.delete({ where: { id: customer.id } });
    await gone("customers", customer.id, customer.name, customer);
  }
  // Model-level limits exist only as limit rows keyed by the model name.
  const modelLimitOwners = new Set([
    ...(await tx.budget.findMany({ where: { entityType: "model" }, select: { entityId: true } })).map((b) => b.entityId),
    ...(await tx.rateLimit.findMany({ where: { entityType: "model" }, select: { entityId: true } })).map((r) => r.entityId),
  ]);
  for (const model of modelLimitOwners) {
    if (keep.models.has(model)) continue;
    await deleteLimits(ctx, "model", model);
    await gone("models", model, model, { model });
  }
  if (document.model_aliases === undefined) {
    const aliases = await tx.setting.findUnique({ where: { key: MODEL_ALIASES_SETTING } });
    if (aliases) {
      await tx.setting.delete({ where: { key: MODEL_ALIASES_SETTING } });
      await gone("model_aliases", MODEL_ALIASES_SETTING, "model_aliases", aliases.value);
    }
  }
}
