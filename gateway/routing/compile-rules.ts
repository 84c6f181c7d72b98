// Compiles a snapshot's routing rules once (never per request) and indexes them so that a
// request only evaluates the rules that can apply to it: those scoped to its key, team and
// customer, then the global ones.
//
// Order (PRODUCT §4.1 "first matching rule by scope then priority wins"):
//   1. scope specificity: key > team > customer > global (the narrower owner overrides);
//   2. priority, HIGHER first (priority 100 beats 0, as in most routers' UIs);
//   3. name, ascending, so that equal priorities are deterministic across replicas.

import { compileCondition, validateCondition, type CelConditionError, type CompiledCondition } from "../../lib/routing/cel-environment";
import { parseFallbackOn, parseRetryPolicy, type FallbackTrigger, type RetryPolicy } from "./retry-policy";
import type { RoutingRuleInput, RoutingScope, RoutingTargetInput } from "./types";

export { validateCondition, type CelConditionError };

export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly condition: string;
  readonly scope: RoutingScope;
  readonly scopeId: string | null;
  readonly priority: number;
  /** null = the empty condition, which matches every request. */
  readonly evaluate: CompiledCondition | null;
  /** The condition reads budget_used / tokens_used / requests_used (see USAGE_VARIABLES). */
  readonly usesUsage: boolean;
  /** Weighted targets with a positive weight. */
  readonly targets: readonly RoutingTargetInput[];
  /** Ordered by position. */
  readonly fallbacks: readonly RoutingTargetInput[];
  readonly fallbackOn: readonly FallbackTrigger[];
  readonly retry: RetryPolicy;
}

export interface RuleCompileError {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly field: "condition" | "scope" | "fallbackOn" | "retry" | "targets";
  readonly message: string;
  /** Set for condition errors. */
  readonly cel: CelConditionError | null;
}

export interface CompiledRuleSet {
  /** Every usable rule in evaluation order (for explain and listing). */
  readonly ordered: readonly CompiledRule[];
  readonly byKeyId: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly byTeamId: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly byCustomerId: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly global: readonly CompiledRule[];
  /** Rules left out of routing; the gateway keeps serving with the others. */
  readonly errors: readonly RuleCompileError[];
  /**
   * Some rule reads a usage variable: only then does the pipeline read the counters before
   * routing (a Redis round trip), otherwise the variables stay 0 and cost nothing.
   */
  readonly usesUsage: boolean;
}

/**
 * The usage variables as whole identifiers in the expression text. Decided once per rule at
 * compile time; a mention inside a string literal is a false positive that only costs one
 * unneeded counters read per request, never a wrong routing decision.
 */
const USAGE_VARIABLES = /(?<![\w.])(budget_used|tokens_used|requests_used)(?!\w)/;

export const SCOPE_ORDER: readonly RoutingScope[] = ["key", "team", "customer", "global"];

function isScope(value: string): value is RoutingScope {
  return (SCOPE_ORDER as readonly string[]).includes(value);
}

export function compareRules(a: CompiledRule, b: CompiledRule): number {
  const byScope = SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope);
  if (byScope !== 0) return byScope;
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

type CompileOne = { ok: true; rule: CompiledRule } | { ok: false; error: RuleCompileError };

function fail(rule: RoutingRuleInput, field: RuleCompileError["field"], message: string, cel: CelConditionError | null = null): CompileOne {
  return { ok: false, error: { ruleId: rule.id, ruleName: rule.name, field, message, cel } };
}

export function compileRule(rule: RoutingRuleInput): CompileOne {
  if (!isScope(rule.scope)) return fail(rule, "scope", `Unknown scope '${rule.scope}'`);
  // A scoped rule without an owner would silently apply to nobody.
  if (rule.scope !== "global" && !rule.scopeId) return fail(rule, "scope", `A ${rule.scope}-scoped rule needs a scopeId`);
  const condition = compileCondition(rule.condition);
  if (!condition.ok) {
    const { message, position } = condition.error;
    return fail(rule, "condition", `${message} (at ${position.start}..${position.end})`, condition.error);
  }
  const fallbackOn = parseFallbackOn(rule.fallbackOn);
  if (!fallbackOn.ok) return fail(rule, "fallbackOn", fallbackOn.message);
  const retry = parseRetryPolicy(rule.retry);
  if (!retry.ok) return fail(rule, "retry", retry.message);
  const targets = rule.targets.filter((t) => t.kind === "target" && t.weight > 0);
  const fallbacks = rule.targets.filter((t) => t.kind === "fallback").sort((a, b) => a.position - b.position);
  if (targets.length === 0 && fallbacks.length === 0) return fail(rule, "targets", "A rule needs at least one target with a positive weight");
  return {
    ok: true,
    rule: Object.freeze({
      id: rule.id,
      name: rule.name,
      condition: rule.condition,
      scope: rule.scope,
      scopeId: rule.scope === "global" ? null : rule.scopeId,
      priority: rule.priority,
      evaluate: condition.evaluate,
      usesUsage: USAGE_VARIABLES.test(rule.condition),
      targets: Object.freeze(targets),
      fallbacks: Object.freeze(fallbacks),
      fallbackOn: fallbackOn.value,
      retry: retry.value,
    }),
  };
}

function groupBy(rules: readonly CompiledRule[], scope: RoutingScope): Map<string, CompiledRule[]> {
  const groups = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    if (rule.scope !== scope || rule.scopeId === null) continue;
    const list = groups.get(rule.scopeId) ?? [];
    list.push(rule);
    groups.set(rule.scopeId, list);
  }
  return groups;
}

/** Call once per snapshot. Disabled rules are dropped; rules that fail to compile are reported. */
export function compileRules(rules: readonly RoutingRuleInput[]): CompiledRuleSet {
  const compiled: CompiledRule[] = [];
  const errors: RuleCompileError[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const result = compileRule(rule);
    if (result.ok) compiled.push(result.rule);
    else errors.push(result.error);
  }
  // Sorting the whole list keeps every per-owner group (a filter of it) in order too.
  compiled.sort(compareRules);
  return Object.freeze({
    ordered: Object.freeze(compiled),
    byKeyId: groupBy(compiled, "key"),
    byTeamId: groupBy(compiled, "team"),
    byCustomerId: groupBy(compiled, "customer"),
    global: Object.freeze(compiled.filter((r) => r.scope === "global")),
    errors: Object.freeze(errors),
    usesUsage: compiled.some((r) => r.usesUsage),
  });
}
