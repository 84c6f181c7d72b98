// Route resolution (PRODUCT §4.1, issue 5 "Resolution order"):
//   1. resolve a model alias, then split an explicit `provider/model`;
//   2. evaluate the rules that apply to this request (key, team, customer, global; see
//      compile-rules.ts for the order); the first whose condition is true wins;
//   3. with no matching rule: the explicit provider, else the key's allowed providers that
//      serve the model, else every provider whose catalog lists it;
//   4. drop excluded targets (with a reason), order the rest by weighted draws, then append
//      the rule's fallbacks in position order. The first step of the chain is the primary.
// Pure and synchronous: no I/O; the random source and health view are injected.

import type { CompiledRule, CompiledRuleSet } from "./compile-rules";
import { matchGlob } from "../../lib/matching/glob";
import { DEFAULT_FALLBACK_TRIGGERS, DEFAULT_RETRY_POLICY, type FallbackTrigger, type RetryPolicy } from "./retry-policy";
import { buildRoutingActivation, type RoutingActivation } from "./routing-context";
import { findExclusion, type RoutingHealthView, type TargetExclusion } from "./target-exclusions";
import type { RouteRequest, RoutingProviderView } from "./types";
import { weightedOrder, type RandomSource } from "./weighted-pick";

export interface RoutingSnapshotView {
  readonly providersByName: ReadonlyMap<string, RoutingProviderView>;
  readonly rules: CompiledRuleSet;
  /** alias → model or `provider/model`; resolved once (no chains, so no loops). */
  readonly modelAliases?: ReadonlyMap<string, string>;
}

export type RouteSource = "rule" | "explicit" | "key_providers" | "catalog" | "none";

export interface RouteCandidate {
  readonly role: "target" | "fallback";
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  readonly providerKey: string | null;
  readonly excluded: TargetExclusion | null;
}

export interface RouteStep {
  readonly role: "primary" | "alternate" | "fallback";
  readonly provider: string;
  readonly model: string;
  readonly providerKey: string | null;
}

export interface MatchedRuleSummary {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly scopeId: string | null;
  readonly priority: number;
  readonly condition: string;
}

export interface RuleEvaluationError {
  readonly ruleName: string;
  readonly message: string;
}

export interface RouteResolution {
  readonly requestedModel: string;
  /** After alias resolution, without the provider prefix. */
  readonly model: string;
  readonly alias: { readonly from: string; readonly to: string } | null;
  readonly explicitProvider: string | null;
  readonly source: RouteSource;
  readonly matchedRule: MatchedRuleSummary | null;
  /** Set when no rule matched, for explain. */
  readonly noRuleReason: string | null;
  readonly rulesEvaluated: number;
  /** Conditions that failed at run time (e.g. a missing map key); such a rule does not match. */
  readonly ruleErrors: readonly RuleEvaluationError[];
  readonly candidates: readonly RouteCandidate[];
  /** Ordered attempts; empty when every candidate is excluded or none exists. */
  readonly chain: readonly RouteStep[];
  readonly fallbackOn: readonly FallbackTrigger[];
  readonly retry: RetryPolicy;
}

const MAX_REPORTED_RULE_ERRORS = 10;

/** Rules in evaluation order for this request, without scanning other owners' rules. */
export function applicableRules(rules: CompiledRuleSet, request: RouteRequest): CompiledRule[][] {
  const groups: CompiledRule[][] = [];
  const add = (list: readonly CompiledRule[] | undefined) => {
    if (list && list.length > 0) groups.push(list as CompiledRule[]);
  };
  if (request.key) add(rules.byKeyId.get(request.key.id));
  if (request.team) add(rules.byTeamId.get(request.team.id));
  if (request.customer) add(rules.byCustomerId.get(request.customer.id));
  add(rules.global);
  return groups;
}

interface RuleMatch {
  rule: CompiledRule | null;
  evaluated: number;
  errors: RuleEvaluationError[];
}

export function findMatchingRule(rules: CompiledRuleSet, request: RouteRequest, activation: RoutingActivation): RuleMatch {
  const errors: RuleEvaluationError[] = [];
  let evaluated = 0;
  for (const group of applicableRules(rules, request)) {
    for (const rule of group) {
      evaluated++;
      if (rule.evaluate === null) return { rule, evaluated, errors };
      try {
        if (rule.evaluate(activation) === true) return { rule, evaluated, errors };
      } catch (error) {
        if (errors.length < MAX_REPORTED_RULE_ERRORS) {
          errors.push({ ruleName: rule.name, message: error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error) });
        }
      }
    }
  }
  return { rule: null, evaluated, errors };
}

function splitModel(name: string, providers: ReadonlyMap<string, RoutingProviderView>): { provider: string | null; model: string } {
  const slash = name.indexOf("/");
  // Only a known provider name counts as a prefix: `meta-llama/Llama-3` is a model name.
  if (slash > 0 && providers.has(name.slice(0, slash))) return { provider: name.slice(0, slash), model: name.slice(slash + 1) };
  return { provider: null, model: name };
}

function servesModel(provider: RoutingProviderView, model: string): boolean {
  return provider.models.some((pattern) => matchGlob(pattern, model));
}

interface Pool {
  source: RouteSource;
  targets: { provider: string; model: string; weight: number; providerKey: string | null }[];
  noneReason: string;
}

function defaultPool(request: RouteRequest, view: RoutingSnapshotView, explicitProvider: string | null, model: string): Pool {
  if (explicitProvider !== null) {
    return { source: "explicit", targets: [{ provider: explicitProvider, model, weight: 1, providerKey: null }], noneReason: "" };
  }
  const allowed = request.key?.allowedProviders ?? [];
  if (allowed.length > 0) {
    // Key-allowed providers all weigh the same: the schema has no per-key provider weight.
    const targets = allowed
      .filter((name) => {
        const provider = view.providersByName.get(name);
        return provider !== undefined && servesModel(provider, model);
      })
      .map((name) => ({ provider: name, model, weight: 1, providerKey: null }));
    return { source: "key_providers", targets, noneReason: `None of the key's providers (${allowed.join(", ")}) serves '${model}'` };
  }
  const targets = [...view.providersByName.values()]
    .filter((provider) => servesModel(provider, model))
    .map((provider) => ({ provider: provider.name, model, weight: 1, providerKey: null }));
  return { source: "catalog", targets, noneReason: `No provider lists '${model}' in its models` };
}

export function resolveRoute(request: RouteRequest, view: RoutingSnapshotView, health: RoutingHealthView, random: RandomSource = Math.random): RouteResolution {
  const aliasTarget = view.modelAliases?.get(request.model);
  const effectiveName = aliasTarget ?? request.model;
  const { provider: explicitProvider, model } = splitModel(effectiveName, view.providersByName);
  const activation = buildRoutingActivation(request, model, explicitProvider ?? "");
  const match = findMatchingRule(view.rules, request, activation);
  const rule = match.rule;

  const pool: Pool = rule
    ? { source: "rule", targets: [...rule.targets], noneReason: "" }
    : defaultPool(request, view, explicitProvider, model);
  const exclusionOf = (t: { provider: string; model: string; providerKey: string | null }) =>
    findExclusion(t.provider, view.providersByName.get(t.provider), t.model, request.requestType, t.providerKey, health);

  const candidates: RouteCandidate[] = pool.targets.map((t) => ({ role: "target", ...t, excluded: exclusionOf(t) }));
  for (const f of rule?.fallbacks ?? []) {
    candidates.push({ role: "fallback", provider: f.provider, model: f.model, weight: f.weight, providerKey: f.providerKey, excluded: exclusionOf(f) });
  }

  const eligibleTargets = candidates.filter((c) => c.role === "target" && c.excluded === null);
  const chain: RouteStep[] = weightedOrder(eligibleTargets, (c) => c.weight, random).map((c, i) => ({
    role: i === 0 ? "primary" : "alternate",
    provider: c.provider,
    model: c.model,
    providerKey: c.providerKey,
  }));
  for (const c of candidates) {
    if (c.role !== "fallback" || c.excluded !== null) continue;
    chain.push({ role: chain.length === 0 ? "primary" : "fallback", provider: c.provider, model: c.model, providerKey: c.providerKey });
  }

  let noRuleReason: string | null = null;
  if (!rule) {
    noRuleReason = match.evaluated === 0 ? "No rule applies to this request's scope" : `None of the ${match.evaluated} applicable rules matched`;
    if (pool.targets.length === 0) noRuleReason += `; ${pool.noneReason}`;
  }

  return {
    requestedModel: request.model,
    model,
    alias: aliasTarget !== undefined ? { from: request.model, to: aliasTarget } : null,
    explicitProvider,
    source: pool.targets.length === 0 && !rule ? "none" : pool.source,
    matchedRule: rule
      ? { id: rule.id, name: rule.name, scope: rule.scope, scopeId: rule.scopeId, priority: rule.priority, condition: rule.condition }
      : null,
    noRuleReason,
    rulesEvaluated: match.evaluated,
    ruleErrors: match.errors,
    candidates,
    chain,
    fallbackOn: rule?.fallbackOn ?? DEFAULT_FALLBACK_TRIGGERS,
    retry: rule?.retry ?? DEFAULT_RETRY_POLICY,
  };
}
