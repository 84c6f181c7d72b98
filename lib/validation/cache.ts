// Response cache (PRODUCT §6): the per-key / per-team defaults stored under `settings.cache`,
// the per-request header values, and the admin API's input. Shared by the gateway (which
// reads the settings and headers on the hot path) and the dashboard's route handlers.
import { z } from "zod";

export const CACHE_MODES = ["off", "exact", "semantic"] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** `x-switchyard-cache-type`: which layers a request may be answered from. */
export const CACHE_TYPES = ["exact", "semantic"] as const;
export type CacheType = (typeof CACHE_TYPES)[number];

/** `x-switchyard-cache`: `bypass` skips the lookup (the fresh answer replaces the entry); `no-store` never stores. */
export const CACHE_DIRECTIVES = ["no-store", "bypass"] as const;
export type CacheDirective = (typeof CACHE_DIRECTIVES)[number];

/** Where a request's entries live unless `x-switchyard-cache-key` names a sub-namespace. */
export const CACHE_SCOPES = ["team", "key"] as const;

export const MAX_CACHE_TTL_SECONDS = 30 * 24 * 3600;
export const MAX_CACHE_NAMESPACE_CHARS = 128;

/** `settings.cache` of a virtual key or a team. Every field optional: unset = the next level's default. */
export const cacheSettingsSchema = z.strictObject({
  mode: z.enum(CACHE_MODES).optional(),
  ttl_seconds: z.int().min(1).max(MAX_CACHE_TTL_SECONDS).optional(),
  threshold: z.number().gt(0).max(1).optional(),
  /** Conversations with more messages than this are never cached. */
  max_messages: z.int().min(1).max(10_000).optional(),
  /** Whether the system prompt is part of the semantic key (the exact key always includes it). */
  include_system: z.boolean().optional(),
  scope: z.enum(CACHE_SCOPES).optional(),
});
export type CacheSettings = z.output<typeof cacheSettingsSchema>;

/** A namespace name as a header or the admin API carries it: printable, no spaces. */
export const cacheNamespaceSchema = z
  .string()
  .min(1)
  .max(MAX_CACHE_NAMESPACE_CHARS)
  .regex(/^[A-Za-z0-9._:\/@-]+$/, "letters, digits and . _ : / @ - only");

// ── admin API ──────────────────────────────────────────────────────────────────────────

export const cacheStatsQuerySchema = z.strictObject({
  /** How far back the hit / miss / savings figures look (hours, default 24). */
  hours: z.coerce.number().int().min(1).max(24 * 90).optional(),
});

export const cacheClearQuerySchema = z.strictObject({
  namespace: cacheNamespaceSchema,
});

/** Entry ids: exact entries are a sha256 hex, semantic ones a UUID. */
export const cacheEntryIdSchema = z.string().regex(/^(?:[0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, "not a cache entry id");

/** The Postgres channel both processes use for invalidation (the gateway LISTENs). */
export const CACHE_INVALIDATE_CHANNEL = "cache_invalidate";

export const cacheInvalidationSchema = z.union([
  z.strictObject({ namespace: cacheNamespaceSchema }),
  z.strictObject({ entryId: cacheEntryIdSchema }),
]);
export type CacheInvalidation = z.output<typeof cacheInvalidationSchema>;
