// The gateway's in-memory view of the configuration (DESIGN "The hot path": no database
// round trip per request). A snapshot is built once, frozen, and replaced as a whole by
// the SnapshotStore, so a request that started on one snapshot finishes on it.
import { buildLimitCatalog, type BudgetRowData, type LimitCatalog, type RateLimitRowData } from "../governance/limit-catalog";
import { compileRules } from "../routing/compile-rules";
import type { RoutingSnapshotView } from "../routing/resolve-route";
import { buildModelAliasMap } from "../../lib/routing/model-aliases";
import type { ProviderAdapterSettings } from "../upstream/provider-adapter-settings";
import type { ProviderTimeouts } from "../upstream/provider-timeouts";

export interface ProviderKeyConfig {
  readonly id: string;
  readonly name: string;
  /** Decrypted provider secret. Lives only in memory; never logged. */
  readonly secret: string;
  readonly weight: number;
  /** Globs of models this key may serve; empty = all. */
  readonly models: readonly string[];
}

export interface ProviderConfig {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly baseUrl: string | null;
  /** Empty = every request type. */
  readonly requestTypes: readonly string[];
  /** Extra headers sent upstream (string values only). */
  readonly headers: Readonly<Record<string, string>>;
  readonly models: readonly string[];
  readonly enabled: boolean;
  /** Enabled keys whose secret could be decrypted. */
  readonly keys: readonly ProviderKeyConfig[];
  /** From `settings.timeouts`, defaults filled in. */
  readonly timeouts: ProviderTimeouts;
  /** Adapter settings from `settings` (api version, region, project, deployments); absent = none. */
  readonly adapterSettings?: ProviderAdapterSettings;
  /** Debug capture: store request/response bodies of this provider's requests (gateway/logs/body-capture.ts). */
  readonly captureBodies?: boolean;
}

export interface TeamConfig {
  readonly id: string;
  readonly name: string;
  readonly customerId: string | null;
  /** `teams.settings` JSON as stored (cache defaults under `cache`); read by the feature that owns each part. */
  readonly settings?: unknown;
}

export interface CustomerConfig {
  readonly id: string;
  readonly name: string;
}

export interface VirtualKeyConfig {
  readonly id: string;
  readonly name: string;
  readonly teamId: string | null;
  readonly userId: string | null;
  readonly customerId: string | null;
  readonly allowedModels: readonly string[];
  readonly allowedProviders: readonly string[];
  readonly expiresAt: Date | null;
  readonly active: boolean;
  readonly revokedAt: Date | null;
  readonly tags: readonly string[];
  /** `virtual_keys.settings` JSON as stored (cache defaults under `cache`). */
  readonly settings?: unknown;
}

/** One hash → key entry. A rotated key's previous hash points at the same key until `validUntil`. */
export interface VirtualKeyEntry {
  readonly key: VirtualKeyConfig;
  /** Set for a previous (rotated) hash: the end of its grace period. */
  readonly validUntil: Date | null;
}

export interface PriceOverride {
  /** `provider/model`, bare model, or a glob. */
  readonly model: string;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cacheReadPerMTok: number | null;
  readonly cacheWritePerMTok: number | null;
  readonly reasoningPerMTok: number | null;
}

export interface RoutingTargetConfig {
  readonly kind: "target" | "fallback";
  readonly position: number;
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  readonly providerKey: string | null;
}

/** A routing_rules row; compiled once per snapshot into `routing.rules`. */
export interface RoutingRuleConfig {
  readonly id: string;
  readonly name: string;
  readonly condition: string;
  readonly scope: string;
  readonly scopeId: string | null;
  readonly priority: number;
  readonly enabled: boolean;
  readonly targets: readonly RoutingTargetConfig[];
  /** RoutingRule.fallbackOn JSON; null = PRODUCT §4.2 defaults. */
  readonly fallbackOn?: unknown;
  /** RoutingRule.retry JSON; null = defaults. */
  readonly retry?: unknown;
}

export interface ConfigSnapshot {
  /** Increases by one on every successful load within this process. */
  readonly version: number;
  /** When the database read began: the snapshot holds every change committed before it. */
  readonly loadedAt: Date;
  readonly providersByName: ReadonlyMap<string, ProviderConfig>;
  readonly virtualKeysByHash: ReadonlyMap<string, VirtualKeyEntry>;
  readonly teamsById: ReadonlyMap<string, TeamConfig>;
  readonly customersById: ReadonlyMap<string, CustomerConfig>;
  readonly pricing: readonly PriceOverride[];
  readonly routingRules: readonly RoutingRuleConfig[];
  /** Providers and compiled rules as the routing core reads them (rules that failed to compile are in `routing.rules.errors`). */
  readonly routing: RoutingSnapshotView;
  /** Budgets and rate limits, indexed for the govern step. */
  readonly limits: LimitCatalog;
}

export interface SnapshotContents {
  providers: ProviderConfig[];
  virtualKeys: Array<VirtualKeyConfig & { keyHash: string; previousKeyHash: string | null; previousKeyExpiresAt: Date | null }>;
  teams: TeamConfig[];
  customers: CustomerConfig[];
  pricing: PriceOverride[];
  routingRules: RoutingRuleConfig[];
  budgets?: BudgetRowData[];
  rateLimits?: RateLimitRowData[];
  /** `alias → provider/model`, from the model_aliases setting. */
  modelAliases?: Readonly<Record<string, string>>;
}

/** Pure: indexes loaded rows into a frozen snapshot. */
export function buildSnapshot(contents: SnapshotContents, version: number, now: Date): ConfigSnapshot {
  const virtualKeysByHash = new Map<string, VirtualKeyEntry>();
  for (const row of contents.virtualKeys) {
    const { keyHash, previousKeyHash, previousKeyExpiresAt, ...key } = row;
    const frozenKey = Object.freeze(key);
    virtualKeysByHash.set(keyHash, Object.freeze({ key: frozenKey, validUntil: null }));
    // A previous hash without an end of grace would be valid forever: treat it as expired.
    if (previousKeyHash && previousKeyExpiresAt && previousKeyExpiresAt > now) {
      virtualKeysByHash.set(previousKeyHash, Object.freeze({ key: frozenKey, validUntil: previousKeyExpiresAt }));
    }
  }
  const providersByName = new Map(contents.providers.map((p) => [p.name, Object.freeze(p)]));
  const routingRules = Object.freeze(contents.routingRules.map((r) => Object.freeze(r)));
  return Object.freeze({
    version,
    loadedAt: now,
    providersByName,
    virtualKeysByHash,
    teamsById: new Map(contents.teams.map((t) => [t.id, Object.freeze(t)])),
    customersById: new Map(contents.customers.map((c) => [c.id, Object.freeze(c)])),
    pricing: Object.freeze(contents.pricing.map((p) => Object.freeze(p))),
    routingRules,
    // Compiled here, once per snapshot: the hot path never parses CEL.
    routing: Object.freeze({
      providersByName,
      rules: compileRules(routingRules),
      modelAliases: buildModelAliasMap(contents.modelAliases ?? {}),
    }),
    limits: buildLimitCatalog(contents.budgets ?? [], contents.rateLimits ?? [], {
      providerNameById: new Map(contents.providers.map((p) => [p.id, p.name])),
      keyNameById: new Map(contents.virtualKeys.map((k) => [k.id, k.name])),
      teamNameById: new Map(contents.teams.map((t) => [t.id, t.name])),
      customerNameById: new Map(contents.customers.map((c) => [c.id, c.name])),
    }),
  });
}
