// Why a target cannot take a request right now. Each reason is data, so explain can show it
// and the pipeline can log "fell back because <reason>" (PRODUCT S2).

import { keyCandidates, type KeyCooldownReader } from "./key-pool";
import type { RoutingProviderView } from "./types";

export type TargetExclusionReason =
  | "provider_unknown"
  | "provider_disabled"
  | "request_type_not_accepted"
  | "circuit_open"
  | "over_limit"
  | "provider_key_unknown"
  | "no_usable_key";

export interface TargetExclusion {
  readonly reason: TargetExclusionReason;
  readonly detail: string;
}

export interface RoutingHealthView {
  readonly keyCooldowns: KeyCooldownReader;
  readonly circuits: { isAvailable(provider: string, model: string): boolean };
  /** Governance's verdict: a human-readable reason when the provider (+model) is over a budget or limit, else null. */
  readonly overLimit?: (provider: string, model: string) => string | null;
}

export function findExclusion(
  providerName: string,
  provider: RoutingProviderView | undefined,
  model: string,
  requestType: string,
  pinnedKeyName: string | null,
  health: RoutingHealthView,
): TargetExclusion | null {
  if (!provider) return { reason: "provider_unknown", detail: `No provider named '${providerName}'` };
  if (!provider.enabled) return { reason: "provider_disabled", detail: `Provider '${providerName}' is disabled` };
  if (provider.requestTypes.length > 0 && !provider.requestTypes.includes(requestType)) {
    return { reason: "request_type_not_accepted", detail: `Provider '${providerName}' accepts ${provider.requestTypes.join(", ")}, not ${requestType}` };
  }
  if (!health.circuits.isAvailable(providerName, model)) {
    return { reason: "circuit_open", detail: `Circuit open for ${providerName}/${model} after an error-rate spike` };
  }
  const overLimit = health.overLimit?.(providerName, model) ?? null;
  if (overLimit !== null) return { reason: "over_limit", detail: overLimit };
  if (pinnedKeyName !== null && !provider.keys.some((k) => k.name === pinnedKeyName)) {
    return { reason: "provider_key_unknown", detail: `Provider '${providerName}' has no enabled key named '${pinnedKeyName}'` };
  }
  const keys = keyCandidates(provider, model, health.keyCooldowns, pinnedKeyName);
  if (!keys.some((k) => k.excluded === null)) {
    const why = keys.filter((k) => k.excluded !== "not_pinned").map((k) => `${k.key.name}: ${k.excluded ?? "usable"}`);
    return { reason: "no_usable_key", detail: `No key of '${providerName}' can serve ${model}${why.length ? ` (${why.join("; ")})` : " (no keys)"}` };
  }
  return null;
}
