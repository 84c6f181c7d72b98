// Explain (PRODUCT §4.5): a dry run of route resolution for the admin endpoint
// `POST /api/v1/routing/explain` and the dashboard panel. JSON-serializable by design.
// The per-request weighted draw is replaced by a deterministic order (highest weight
// first) plus each target's share, because "which one this time" is a coin flip.

import { keyCandidates, type KeyExclusionReason } from "./key-pool";
import { resolveRoute, type RouteCandidate, type RouteResolution, type RouteStep, type RoutingSnapshotView } from "./resolve-route";
import type { RoutingHealthView } from "./target-exclusions";
import type { RouteRequest } from "./types";

export interface ExplainedKey {
  readonly name: string;
  readonly weight: number;
  readonly excluded: KeyExclusionReason | null;
}

export interface ExplainedCandidate extends RouteCandidate {
  /** Percentage of traffic among the eligible weighted targets (0 when excluded or a fallback). */
  readonly sharePercent: number;
  readonly keys: readonly ExplainedKey[];
}

export interface RouteExplanation extends Omit<RouteResolution, "candidates" | "chain"> {
  readonly candidates: readonly ExplainedCandidate[];
  /** Primary = highest-weight eligible target; the actual primary is drawn by weight per request. */
  readonly chain: readonly RouteStep[];
  readonly summary: string;
}

function describe(resolution: RouteResolution, chain: readonly RouteStep[]): string {
  const head = resolution.matchedRule
    ? `Rule '${resolution.matchedRule.name}' (${resolution.matchedRule.scope}, priority ${resolution.matchedRule.priority}) matched`
    : `No rule matched (${resolution.noRuleReason ?? "unknown"}); routed by ${resolution.source}`;
  const first = chain[0];
  if (!first) return `${head}; every candidate is excluded, the request would fail`;
  return `${head}; primary ${first.provider}/${first.model}, ${chain.length - 1} more step(s) in the chain`;
}

export function explainRoute(request: RouteRequest, view: RoutingSnapshotView, health: RoutingHealthView): RouteExplanation {
  const resolution = resolveRoute(request, view, health, () => 0);
  const eligibleWeight = resolution.candidates.filter((c) => c.role === "target" && c.excluded === null).reduce((sum, c) => sum + c.weight, 0);
  const candidates: ExplainedCandidate[] = resolution.candidates.map((c) => {
    const provider = view.providersByName.get(c.provider);
    const keys = provider
      ? keyCandidates(provider, c.model, health.keyCooldowns, c.providerKey).map((k) => ({ name: k.key.name, weight: k.key.weight, excluded: k.excluded }))
      : [];
    const sharePercent = c.role === "target" && c.excluded === null && eligibleWeight > 0 ? Math.round((c.weight / eligibleWeight) * 10_000) / 100 : 0;
    return { ...c, sharePercent, keys };
  });
  const targets = candidates
    .filter((c) => c.role === "target" && c.excluded === null)
    .sort((a, b) => b.weight - a.weight)
    .map((c, i): RouteStep => ({ role: i === 0 ? "primary" : "alternate", provider: c.provider, model: c.model, providerKey: c.providerKey }));
  const fallbacks = resolution.chain.filter((s) => s.role === "fallback" || (s.role === "primary" && targets.length === 0));
  const chain = [...targets, ...fallbacks];
  return { ...resolution, candidates, chain, summary: describe(resolution, chain) };
}
