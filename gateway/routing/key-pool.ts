// Provider key pools (PRODUCT §4.4): several keys per provider with weights and model
// allow-lists; a key the upstream rejects (401/403) or throttles (429) sits out for a
// while so that the next requests go to its siblings instead of failing the same way.

import { matchGlob } from "../../lib/matching/glob";
import type { Clock, RoutingStateStore } from "./routing-state";
import type { RoutingProviderKeyView, RoutingProviderView } from "./types";
import { pickWeightedIndex, type RandomSource } from "./weighted-pick";

export interface KeyCooldownOptions {
  /** 429 without retry-after. */
  readonly rateLimitedMs: number;
  /** 401/403: a revoked or unfunded key rarely heals by itself, so it sits out longer. */
  readonly authFailedMs: number;
  /** Upper bound, so that a bogus retry-after (days) cannot park a key forever. */
  readonly maxMs: number;
}

export const DEFAULT_KEY_COOLDOWN_OPTIONS: KeyCooldownOptions = { rateLimitedMs: 30_000, authFailedMs: 300_000, maxMs: 3_600_000 };

export class KeyCooldowns {
  private readonly options: KeyCooldownOptions;

  constructor(
    private readonly store: RoutingStateStore,
    private readonly clock: Clock = Date.now,
    options: Partial<KeyCooldownOptions> = {},
  ) {
    this.options = { ...DEFAULT_KEY_COOLDOWN_OPTIONS, ...options };
  }

  isCoolingDown(keyId: string): boolean {
    const until = this.store.getKeyCooldown(keyId);
    return until !== undefined && until > this.clock();
  }

  cooldownUntil(keyId: string): number | null {
    const until = this.store.getKeyCooldown(keyId);
    return until !== undefined && until > this.clock() ? until : null;
  }

  /** Cools the key down after 401/403/429; other statuses are not the key's fault. Returns the end of the cooldown, or null. */
  recordFailure(keyId: string, status: number, retryAfterMs: number | null = null): number | null {
    let durationMs: number;
    if (status === 429) durationMs = retryAfterMs ?? this.options.rateLimitedMs;
    else if (status === 401 || status === 403) durationMs = Math.max(retryAfterMs ?? 0, this.options.authFailedMs);
    else return null;
    const until = this.clock() + Math.min(durationMs, this.options.maxMs);
    // Never shorten a longer cooldown another replica or request already set.
    const existing = this.store.getKeyCooldown(keyId);
    if (existing === undefined || existing < until) this.store.setKeyCooldown(keyId, until);
    return Math.max(until, existing ?? 0);
  }
}

export type KeyExclusionReason = "model_not_allowed" | "cooling_down" | "not_pinned";

export interface KeyCandidate {
  readonly key: RoutingProviderKeyView;
  readonly excluded: KeyExclusionReason | null;
}

/** Reads cooldowns; the narrow interface resolve-route and explain need. */
export interface KeyCooldownReader {
  isCoolingDown(keyId: string): boolean;
}

export function keyServesModel(key: RoutingProviderKeyView, model: string): boolean {
  return key.models.length === 0 || key.models.some((pattern) => matchGlob(pattern, model));
}

/** Every key of the provider with why it cannot serve this request, if it cannot. */
export function keyCandidates(provider: RoutingProviderView, model: string, cooldowns: KeyCooldownReader, pinnedKeyName: string | null = null): KeyCandidate[] {
  return provider.keys.map((key) => {
    let excluded: KeyExclusionReason | null = null;
    if (pinnedKeyName !== null && key.name !== pinnedKeyName) excluded = "not_pinned";
    else if (!keyServesModel(key, model)) excluded = "model_not_allowed";
    else if (cooldowns.isCoolingDown(key.id)) excluded = "cooling_down";
    return { key, excluded };
  });
}

/** Weighted choice among the usable keys; null when none can serve (all cooling down, none allowed, or the pinned key is unusable). */
export function pickProviderKey(
  provider: RoutingProviderView,
  model: string,
  cooldowns: KeyCooldownReader,
  random: RandomSource,
  pinnedKeyName: string | null = null,
): RoutingProviderKeyView | null {
  const usable = keyCandidates(provider, model, cooldowns, pinnedKeyName)
    .filter((c) => c.excluded === null)
    .map((c) => c.key);
  const index = pickWeightedIndex(
    usable.map((k) => k.weight),
    random,
  );
  return index === -1 ? null : (usable[index] ?? null);
}
