-- Usage charts at scale (issue 6): usage_rollups is keyed by every dimension at once, so
-- "7 days by hour, by team" over an org-wide view aggregates hundreds of thousands of rows.
-- This table holds the same counters with ONE dimension per row (dimension 'none' = the
-- total), maintained at ingest next to usage_rollups (gateway/logs/usage-rollups.ts). Views
-- that see everything read it; scoped views (a team admin, a member) keep reading
-- usage_rollups filtered by their keys and teams.
CREATE TABLE "usage_rollup_dims" (
    "granularity" "RollupGranularity" NOT NULL,
    "dimension" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',
    "requests" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "reasoning_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "cache_saved_usd" DECIMAL(24,10) NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "usage_rollup_dims_pkey" PRIMARY KEY ("granularity", "dimension", "bucket", "value")
);

-- Rebuilds the table from usage_rollups (this migration's backfill; also used by
-- `npm run bench:logs` after it seeds rollups directly).
CREATE FUNCTION switchyard_rebuild_rollup_dims() RETURNS void LANGUAGE sql AS $$
  DELETE FROM usage_rollup_dims;
  INSERT INTO usage_rollup_dims (granularity, dimension, bucket, value, requests, errors, cache_hits, input_tokens,
      output_tokens, cache_read_tokens, reasoning_tokens, cost_usd, cache_saved_usd, latency_ms_sum)
  SELECT r.granularity, d.dimension, r.bucket, d.value, sum(requests), sum(errors), sum(cache_hits), sum(input_tokens),
         sum(output_tokens), sum(cache_read_tokens), sum(reasoning_tokens), sum(cost_usd), sum(cache_saved_usd), sum(latency_ms_sum)
    FROM usage_rollups r
    CROSS JOIN LATERAL (VALUES ('none', ''), ('team', r.team_id), ('virtual_key', r.virtual_key_id), ('customer', r.customer_id),
                               ('provider', r.provider), ('model', r.model), ('status_class', r.status_class)) AS d(dimension, value)
   GROUP BY 1, 2, 3, 4;
$$;

SELECT switchyard_rebuild_rollup_dims();
