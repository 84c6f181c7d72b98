-- Response cache (PRODUCT §6): per-team cache defaults live in teams.settings, like the
-- per-key ones in virtual_keys.settings. The cache's vector table is created by the
-- gateway at start (gateway/cache/pgvector-index.ts), not here: the `vector` type exists
-- only where the pgvector extension is installed.
ALTER TABLE teams ADD COLUMN IF NOT EXISTS settings jsonb NOT NULL DEFAULT '{}';

-- Dashboard cache stats group hits by namespace (request_logs.metadata->>'cacheNamespace').
CREATE INDEX IF NOT EXISTS request_logs_cache_idx ON request_logs (created_at) WHERE cache <> 'none';
