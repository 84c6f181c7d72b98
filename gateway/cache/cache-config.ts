// Cache configuration: global defaults from SWITCHYARD_CACHE_* (documented in the README),
// then `settings.cache` of the team, then of the virtual key, then the request's headers —
// each level overriding the one before. Pure functions, unit-tested in cache-config.test.ts.
import { CACHE_DIRECTIVES, CACHE_MODES, CACHE_TYPES, cacheNamespaceSchema, cacheSettingsSchema, type CacheDirective, type CacheMode, type CacheSettings } from "../../lib/validation/cache";
import { gatewayErrors } from "../errors";

export type VectorBackendChoice = "auto" | "pgvector" | "memory";

export interface CacheConfig {
  /** Mode for requests whose key / team set none and that send no x-switchyard-cache-type. */
  readonly defaultMode: CacheMode;
  readonly ttlSeconds: number;
  readonly threshold: number;
  readonly maxMessages: number;
  readonly includeSystem: boolean;
  /** In-process LRU bounds (exact layer) and in-process vector index size. */
  readonly maxEntries: number;
  readonly maxMemoryBytes: number;
  /** Larger answers are relayed but not stored. */
  readonly maxEntryBytes: number;
  /** Provider (a name from the config) and model that embed conversations; null disables the semantic layer. */
  readonly embedding: { readonly provider: string; readonly model: string } | null;
  readonly vectorBackend: VectorBackendChoice;
}

export const DEFAULT_CACHE_CONFIG: CacheConfig = {
  defaultMode: "off",
  ttlSeconds: 3600,
  threshold: 0.92,
  maxMessages: 20,
  includeSystem: true,
  maxEntries: 10_000,
  maxMemoryBytes: 256 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
  embedding: null,
  vectorBackend: "auto",
};

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
  return raw as T;
}

export function cacheConfigFromEnv(env: Env = process.env): CacheConfig {
  const thresholdRaw = env.SWITCHYARD_CACHE_THRESHOLD;
  const threshold = thresholdRaw === undefined || thresholdRaw === "" ? DEFAULT_CACHE_CONFIG.threshold : Number(thresholdRaw);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`SWITCHYARD_CACHE_THRESHOLD must be in (0, 1], got "${thresholdRaw}"`);
  const includeRaw = env.SWITCHYARD_CACHE_INCLUDE_SYSTEM;
  if (includeRaw !== undefined && includeRaw !== "" && includeRaw !== "true" && includeRaw !== "false") throw new Error(`SWITCHYARD_CACHE_INCLUDE_SYSTEM must be true or false, got "${includeRaw}"`);
  const provider = env.SWITCHYARD_CACHE_EMBEDDING_PROVIDER || undefined;
  const model = env.SWITCHYARD_CACHE_EMBEDDING_MODEL || undefined;
  if ((provider === undefined) !== (model === undefined)) throw new Error("SWITCHYARD_CACHE_EMBEDDING_PROVIDER and SWITCHYARD_CACHE_EMBEDDING_MODEL are set together or not at all");
  return {
    defaultMode: oneOf(env, "SWITCHYARD_CACHE_MODE", CACHE_MODES, DEFAULT_CACHE_CONFIG.defaultMode),
    ttlSeconds: positiveInt(env, "SWITCHYARD_CACHE_TTL_SECONDS", DEFAULT_CACHE_CONFIG.ttlSeconds),
    threshold,
    maxMessages: positiveInt(env, "SWITCHYARD_CACHE_MAX_MESSAGES", DEFAULT_CACHE_CONFIG.maxMessages),
    includeSystem: includeRaw === undefined || includeRaw === "" ? DEFAULT_CACHE_CONFIG.includeSystem : includeRaw === "true",
    maxEntries: positiveInt(env, "SWITCHYARD_CACHE_MAX_ENTRIES", DEFAULT_CACHE_CONFIG.maxEntries),
    maxMemoryBytes: positiveInt(env, "SWITCHYARD_CACHE_MAX_MEMORY_BYTES", DEFAULT_CACHE_CONFIG.maxMemoryBytes),
    maxEntryBytes: positiveInt(env, "SWITCHYARD_CACHE_MAX_ENTRY_BYTES", DEFAULT_CACHE_CONFIG.maxEntryBytes),
    embedding: provider && model ? { provider, model } : null,
    vectorBackend: oneOf(env, "SWITCHYARD_CACHE_VECTOR_BACKEND", ["auto", "pgvector", "memory"] as const, DEFAULT_CACHE_CONFIG.vectorBackend),
  };
}

// Settings JSON is parsed once per snapshot object (frozen, replaced on reload), not per request.
const parsedSettings = new WeakMap<object, CacheSettings>();

/** `settings.cache` of a key or team; malformed settings count as none (the admin API validates on write). */
export function cacheSettingsOf(owner: { readonly settings?: unknown } | null | undefined): CacheSettings {
  if (!owner) return {};
  const known = parsedSettings.get(owner);
  if (known) return known;
  const raw = owner.settings !== null && typeof owner.settings === "object" ? (owner.settings as Record<string, unknown>).cache : undefined;
  const parsed = raw === undefined ? null : cacheSettingsSchema.safeParse(raw);
  const settings = parsed?.success ? parsed.data : {};
  parsedSettings.set(owner, settings);
  return settings;
}

export const CACHE_HEADERS = {
  key: "x-switchyard-cache-key",
  ttl: "x-switchyard-cache-ttl",
  threshold: "x-switchyard-cache-threshold",
  type: "x-switchyard-cache-type",
  directive: "x-switchyard-cache",
} as const;

export interface CachePolicy {
  readonly mode: CacheMode;
  readonly directive: CacheDirective | null;
  readonly namespace: string;
  readonly ttlMs: number;
  readonly threshold: number;
  readonly maxMessages: number;
  readonly includeSystem: boolean;
}

export interface PolicyInput {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly keyId: string;
  readonly teamId: string | null;
  readonly keySettings: CacheSettings;
  readonly teamSettings: CacheSettings;
}

function header(headers: PolicyInput["headers"], name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? undefined : text.trim();
}

/** Bad header values are the client's error (400), never silently ignored. */
export function resolveCachePolicy(config: CacheConfig, input: PolicyInput): CachePolicy {
  const merged: CacheSettings = { ...input.teamSettings, ...input.keySettings };
  let mode: CacheMode = merged.mode ?? config.defaultMode;
  const type = header(input.headers, CACHE_HEADERS.type);
  if (type !== undefined) {
    if (!(CACHE_TYPES as readonly string[]).includes(type)) throw gatewayErrors.invalidRequest(`${CACHE_HEADERS.type} must be one of ${CACHE_TYPES.join(", ")}.`, CACHE_HEADERS.type);
    mode = type as CacheMode;
  }
  const directiveText = header(input.headers, CACHE_HEADERS.directive);
  if (directiveText !== undefined && !(CACHE_DIRECTIVES as readonly string[]).includes(directiveText)) {
    throw gatewayErrors.invalidRequest(`${CACHE_HEADERS.directive} must be one of ${CACHE_DIRECTIVES.join(", ")}.`, CACHE_HEADERS.directive);
  }
  let ttlSeconds = merged.ttl_seconds ?? config.ttlSeconds;
  const ttlText = header(input.headers, CACHE_HEADERS.ttl);
  if (ttlText !== undefined) {
    const ttl = Number(ttlText);
    if (!/^\d+$/.test(ttlText) || !Number.isSafeInteger(ttl) || ttl < 1 || ttl > 30 * 24 * 3600) throw gatewayErrors.invalidRequest(`${CACHE_HEADERS.ttl} must be a whole number of seconds between 1 and 2592000.`, CACHE_HEADERS.ttl);
    ttlSeconds = ttl;
  }
  let threshold = merged.threshold ?? config.threshold;
  const thresholdText = header(input.headers, CACHE_HEADERS.threshold);
  if (thresholdText !== undefined) {
    const value = Number(thresholdText);
    if (thresholdText === "" || !(value > 0 && value <= 1)) throw gatewayErrors.invalidRequest(`${CACHE_HEADERS.threshold} must be a number in (0, 1].`, CACHE_HEADERS.threshold);
    threshold = value;
  }
  // Tenant isolation: every namespace lives under its team (or key), so a client-chosen
  // x-switchyard-cache-key can never name another tenant's entries.
  const scope = merged.scope ?? "team";
  const tenant = scope === "team" && input.teamId !== null ? `team:${input.teamId}` : `key:${input.keyId}`;
  const sub = header(input.headers, CACHE_HEADERS.key);
  if (sub !== undefined && !cacheNamespaceSchema.safeParse(sub).success) {
    throw gatewayErrors.invalidRequest(`${CACHE_HEADERS.key} must be 1–128 characters of letters, digits and . _ : / @ -.`, CACHE_HEADERS.key);
  }
  return {
    mode,
    directive: (directiveText as CacheDirective | undefined) ?? null,
    namespace: sub === undefined ? tenant : `${tenant}/${sub}`,
    ttlMs: ttlSeconds * 1000,
    threshold,
    maxMessages: merged.max_messages ?? config.maxMessages,
    includeSystem: merged.include_system ?? config.includeSystem,
  };
}
