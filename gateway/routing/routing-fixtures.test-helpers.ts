// Builders shared by the routing tests.

import { compileRules } from "./compile-rules";
import type { RoutingSnapshotView } from "./resolve-route";
import type { RoutingHealthView } from "./target-exclusions";
import type { RouteRequest, RoutingProviderView, RoutingRuleInput, RoutingTargetInput } from "./types";

export function provider(name: string, overrides: Partial<RoutingProviderView> = {}): RoutingProviderView {
  return { name, enabled: true, requestTypes: [], models: [], keys: [{ id: `${name}-k1`, name: "k1", weight: 1, models: [] }], ...overrides };
}

export function target(providerName: string, model: string, weight = 1, extra: Partial<RoutingTargetInput> = {}): RoutingTargetInput {
  return { kind: "target", position: 0, provider: providerName, model, weight, providerKey: null, ...extra };
}

export function fallback(providerName: string, model: string, position: number): RoutingTargetInput {
  return { kind: "fallback", position, provider: providerName, model, weight: 1, providerKey: null };
}

export function rule(name: string, condition: string, targets: RoutingTargetInput[], extra: Partial<RoutingRuleInput> = {}): RoutingRuleInput {
  return { id: `id-${name}`, name, condition, scope: "global", scopeId: null, priority: 0, enabled: true, targets, ...extra };
}

export function request(overrides: Partial<RouteRequest> = {}): RouteRequest {
  return { model: "gpt-4o", requestType: "chat", headers: {}, key: null, team: null, customer: null, ...overrides };
}

export function view(providers: RoutingProviderView[], rules: RoutingRuleInput[], aliases: Record<string, string> = {}): RoutingSnapshotView {
  return { providersByName: new Map(providers.map((p) => [p.name, p])), rules: compileRules(rules), modelAliases: new Map(Object.entries(aliases)) };
}

export function healthy(overrides: Partial<RoutingHealthView> = {}): RoutingHealthView {
  return { keyCooldowns: { isCoolingDown: () => false }, circuits: { isAvailable: () => true }, ...overrides };
}
