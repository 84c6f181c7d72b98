// Checks between sections of a config document: names are unique and every reference
// (a team's customer, a key's team, a routing target's provider and key) names something the
// same file defines. Config files are meant to be self-contained, as `config export` writes
// them, so a reference to an entity that only exists in the database is reported too.
import type { z } from "zod";
import { reportDuplicates } from "./common";
import type { configDocumentBaseSchema } from "./config";

type Document = z.output<typeof configDocumentBaseSchema>;
type Ctx = z.RefinementCtx;

const GLOB_CHARS = /[*?[\]]/;

export function checkConfigReferences(doc: Document, ctx: Ctx): void {
  const providers = doc.providers ?? [];
  const customers = doc.customers ?? [];
  const teams = doc.teams ?? [];
  const virtualKeys = doc.virtual_keys ?? [];

  reportDuplicates(providers, (p) => p.name, ctx, { field: "name", what: "provider", pathPrefix: ["providers"] });
  reportDuplicates(doc.pricing ?? [], (p) => p.model, ctx, { field: "model", what: "pricing model", pathPrefix: ["pricing"] });
  reportDuplicates(customers, (c) => c.name, ctx, { field: "name", what: "customer", pathPrefix: ["customers"] });
  reportDuplicates(
    customers.filter((c) => c.external_id !== undefined),
    (c) => c.external_id ?? "",
    ctx,
    { field: "external_id", what: "customer external_id", pathPrefix: ["customers"] },
  );
  reportDuplicates(teams, (t) => t.name, ctx, { field: "name", what: "team", pathPrefix: ["teams"] });
  reportDuplicates(virtualKeys, (k) => k.name, ctx, { field: "name", what: "virtual key", pathPrefix: ["virtual_keys"] });
  reportDuplicates(doc.models ?? [], (m) => m.model, ctx, { field: "model", what: "model", pathPrefix: ["models"] });
  reportDuplicates(doc.routing_rules ?? [], (r) => r.name, ctx, { field: "name", what: "routing rule", pathPrefix: ["routing_rules"] });
  checkDuplicateKeyValues(doc, ctx);

  const customerNames = new Set(customers.map((c) => c.name));
  const teamCustomer = new Map(teams.map((t) => [t.name, t.customer]));
  const providerKeys = new Map(providers.map((p) => [p.name, new Set((p.keys ?? []).map((k) => k.name))]));
  const keyNames = new Set(virtualKeys.map((k) => k.name));

  teams.forEach((team, i) => {
    if (team.customer !== undefined && !customerNames.has(team.customer)) {
      ctx.addIssue(missing("customer", team.customer, ["teams", i, "customer"]));
    }
  });

  virtualKeys.forEach((key, i) => {
    if (key.team !== undefined && !teamCustomer.has(key.team)) {
      ctx.addIssue(missing("team", key.team, ["virtual_keys", i, "team"]));
    }
    if (key.customer !== undefined && !customerNames.has(key.customer)) {
      ctx.addIssue(missing("customer", key.customer, ["virtual_keys", i, "customer"]));
    }
    const ownerOfTeam = key.team === undefined ? undefined : teamCustomer.get(key.team);
    if (key.customer !== undefined && ownerOfTeam !== undefined && ownerOfTeam !== key.customer) {
      ctx.addIssue({
        code: "custom",
        message: `team "${key.team}" belongs to customer "${ownerOfTeam}", not "${key.customer}"`,
        path: ["virtual_keys", i, "customer"],
      });
    }
    (key.providers ?? []).forEach((name, j) => {
      // Globs may match providers added later; plain names must exist, or the key would be
      // silently denied everything it was meant to reach.
      if (!GLOB_CHARS.test(name) && !providerKeys.has(name)) {
        ctx.addIssue(missing("provider", name, ["virtual_keys", i, "providers", j]));
      }
    });
  });

  (doc.routing_rules ?? []).forEach((rule, i) => {
    const checkTarget = (target: { provider: string; key?: string | undefined }, path: (string | number)[]) => {
      const keys = providerKeys.get(target.provider);
      if (!keys) {
        ctx.addIssue(missing("provider", target.provider, [...path, "provider"]));
      } else if (target.key !== undefined && !keys.has(target.key)) {
        ctx.addIssue({
          code: "custom",
          message: `provider "${target.provider}" has no key named "${target.key}"`,
          path: [...path, "key"],
        });
      }
    };
    rule.targets.forEach((target, j) => checkTarget(target, ["routing_rules", i, "targets", j]));
    (rule.fallbacks ?? []).forEach((target, j) => checkTarget(target, ["routing_rules", i, "fallbacks", j]));

    if (rule.scope_name !== undefined) {
      const scope = rule.scope ?? "global";
      const known =
        scope === "customer" ? customerNames : scope === "team" ? new Set(teamCustomer.keys()) : scope === "key" ? keyNames : undefined;
      if (known && !known.has(rule.scope_name)) {
        ctx.addIssue(missing(scope === "key" ? "virtual key" : scope, rule.scope_name, ["routing_rules", i, "scope_name"]));
      }
    }
  });
}

function missing(what: string, name: string, path: (string | number)[]) {
  return {
    code: "custom" as const,
    message: `${what} "${name}" is not defined in this file`,
    path,
  };
}

// Two keys with one secret would collide on the stored hash; never echo the secret itself.
function checkDuplicateKeyValues(doc: Document, ctx: Ctx): void {
  const firstByValue = new Map<string, string>();
  (doc.virtual_keys ?? []).forEach((key, i) => {
    if (key.value === undefined) return;
    const first = firstByValue.get(key.value);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", message: `same value as virtual key "${first}"`, path: ["virtual_keys", i, "value"] });
    } else {
      firstByValue.set(key.value, key.name);
    }
  });
}
