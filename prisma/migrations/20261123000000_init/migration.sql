-- Switchyard initial schema. Mirrors prisma/schema.prisma (checked by
-- lib/db/schema-drift.db.test.ts) plus what the Prisma schema language cannot say:
-- day partitions for the request log and the functions that maintain them.

-- ───────────── enums ─────────────
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'team_admin', 'member', 'viewer');
CREATE TYPE "RoutingScope" AS ENUM ('global', 'customer', 'team', 'key');
CREATE TYPE "RoutingTargetKind" AS ENUM ('target', 'fallback');
CREATE TYPE "LimitEntity" AS ENUM ('customer', 'team', 'virtual_key', 'user', 'provider', 'model');
CREATE TYPE "WindowAlignment" AS ENUM ('calendar', 'rolling');
CREATE TYPE "RollupGranularity" AS ENUM ('hour', 'day');

-- ───────────── people and access ─────────────
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "role" "Role" NOT NULL DEFAULT 'member',
    "email_verified" TIMESTAMPTZ(3),
    "image" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL
);
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

CREATE TABLE "setup_tokens" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "setup_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "setup_tokens_token_hash_key" ON "setup_tokens"("token_hash");

CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "customers_name_key" ON "customers"("name");
CREATE UNIQUE INDEX "customers_external_id_key" ON "customers"("external_id");

CREATE TABLE "teams" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customer_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");
CREATE INDEX "teams_customer_id_idx" ON "teams"("customer_id");

CREATE TABLE "memberships" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "memberships_user_id_team_id_key" ON "memberships"("user_id", "team_id");
CREATE INDEX "memberships_team_id_idx" ON "memberships"("team_id");

-- ───────────── providers and pricing ─────────────
CREATE TABLE "providers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "base_url" TEXT,
    "request_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "headers" JSONB NOT NULL DEFAULT '{}',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "capture_bodies" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "providers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "providers_name_key" ON "providers"("name");

CREATE TABLE "provider_keys" (
    "id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "secret_hint" TEXT NOT NULL DEFAULT '',
    "secret_ref" TEXT,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "provider_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "provider_keys_provider_id_name_key" ON "provider_keys"("provider_id", "name");

CREATE TABLE "model_pricing" (
    "id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "input_per_mtok" DECIMAL(20,10) NOT NULL,
    "output_per_mtok" DECIMAL(20,10) NOT NULL,
    "cache_read_per_mtok" DECIMAL(20,10),
    "cache_write_per_mtok" DECIMAL(20,10),
    "reasoning_per_mtok" DECIMAL(20,10),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "model_pricing_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "model_pricing_model_key" ON "model_pricing"("model");

-- ───────────── routing ─────────────
CREATE TABLE "routing_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "condition" TEXT NOT NULL DEFAULT '',
    "scope" "RoutingScope" NOT NULL DEFAULT 'global',
    "scope_id" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "fallback_on" JSONB,
    "retry" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "routing_rules_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "routing_rules_name_key" ON "routing_rules"("name");
CREATE INDEX "routing_rules_scope_scope_id_priority_idx" ON "routing_rules"("scope", "scope_id", "priority");

CREATE TABLE "routing_targets" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "kind" "RoutingTargetKind" NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "provider_key" TEXT,
    CONSTRAINT "routing_targets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "routing_targets_rule_id_kind_position_idx" ON "routing_targets"("rule_id", "kind", "position");

-- ───────────── governance ─────────────
CREATE TABLE "virtual_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "display_prefix" TEXT NOT NULL,
    "team_id" TEXT,
    "user_id" TEXT,
    "customer_id" TEXT,
    "allowed_models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allowed_providers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "revoked_at" TIMESTAMPTZ(3),
    "previous_key_hash" TEXT,
    "previous_key_expires_at" TIMESTAMPTZ(3),
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "virtual_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "virtual_keys_name_key" ON "virtual_keys"("name");
CREATE UNIQUE INDEX "virtual_keys_key_hash_key" ON "virtual_keys"("key_hash");
CREATE UNIQUE INDEX "virtual_keys_previous_key_hash_key" ON "virtual_keys"("previous_key_hash");
CREATE INDEX "virtual_keys_team_id_idx" ON "virtual_keys"("team_id");
CREATE INDEX "virtual_keys_user_id_idx" ON "virtual_keys"("user_id");
CREATE INDEX "virtual_keys_customer_id_idx" ON "virtual_keys"("customer_id");

CREATE TABLE "budgets" (
    "id" TEXT NOT NULL,
    "entity_type" "LimitEntity" NOT NULL,
    "entity_id" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "limit_usd" DECIMAL(20,10),
    "limit_tokens" BIGINT,
    "alignment" "WindowAlignment" NOT NULL DEFAULT 'calendar',
    "alert_thresholds" INTEGER[] DEFAULT ARRAY[80, 95, 100]::INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id"),
    -- A budget limits money or tokens, never neither.
    CONSTRAINT "budgets_has_limit" CHECK ("limit_usd" IS NOT NULL OR "limit_tokens" IS NOT NULL)
);
CREATE UNIQUE INDEX "budgets_entity_type_entity_id_window_alignment_key" ON "budgets"("entity_type", "entity_id", "window", "alignment");
CREATE INDEX "budgets_entity_id_idx" ON "budgets"("entity_id");

CREATE TABLE "budget_periods" (
    "id" TEXT NOT NULL,
    "budget_id" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "used_usd" DECIMAL(20,10) NOT NULL DEFAULT 0,
    "used_tokens" BIGINT NOT NULL DEFAULT 0,
    "reset_at" TIMESTAMPTZ(3),
    "reset_by" TEXT,
    CONSTRAINT "budget_periods_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "budget_periods_budget_id_window_start_key" ON "budget_periods"("budget_id", "window_start");

CREATE TABLE "rate_limits" (
    "id" TEXT NOT NULL,
    "entity_type" "LimitEntity" NOT NULL,
    "entity_id" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "max_requests" INTEGER,
    "max_tokens" BIGINT,
    "max_concurrent" INTEGER,
    "alignment" "WindowAlignment" NOT NULL DEFAULT 'rolling',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rate_limits_entity_type_entity_id_idx" ON "rate_limits"("entity_type", "entity_id");

CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
    "budget_id" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "used_usd" DECIMAL(20,10),
    "used_tokens" BIGINT,
    "triggered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "delivery_error" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "alerts_budget_id_threshold_window_start_key" ON "alerts"("budget_id", "threshold", "window_start");
CREATE INDEX "alerts_triggered_at_idx" ON "alerts"("triggered_at");

-- ───────────── observability ─────────────
-- Partitioned by day: retention drops whole partitions instead of deleting rows,
-- and time-bounded list queries touch only the days they ask for.
CREATE TABLE "request_logs" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "client_api" TEXT NOT NULL,
    "request_type" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "requested_model" TEXT,
    "virtual_key_id" TEXT,
    "virtual_key_name" TEXT,
    "team_id" TEXT,
    "team_name" TEXT,
    "customer_id" TEXT,
    "customer_name" TEXT,
    "user_id" TEXT,
    "routing_rule" TEXT,
    "status" INTEGER NOT NULL,
    "error_type" TEXT,
    "error_message" TEXT,
    "error_source" TEXT,
    "is_stream" BOOLEAN NOT NULL DEFAULT false,
    "latency_ms" INTEGER NOT NULL,
    "ttft_ms" INTEGER,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "reasoning_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(20,10) NOT NULL DEFAULT 0,
    "cost_breakdown" JSONB,
    "cache" TEXT NOT NULL DEFAULT 'none',
    "cache_saved_usd" DECIMAL(20,10),
    "attempt_count" INTEGER NOT NULL DEFAULT 1,
    "attempts" JSONB NOT NULL DEFAULT '[]',
    "fallback_reason" TEXT,
    "param_transformations" JSONB NOT NULL DEFAULT '[]',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "search_text" TEXT,
    CONSTRAINT "request_logs_pkey" PRIMARY KEY ("id", "created_at")
) PARTITION BY RANGE ("created_at");

-- Newest-first keyset pagination, and one (filter, time) index per list filter of
-- PRODUCT §7.4 so that "provider = X, newest first" never sorts a whole partition.
CREATE INDEX "request_logs_created_at_id_idx" ON "request_logs"("created_at" DESC, "id" DESC);
CREATE INDEX "request_logs_provider_created_at_idx" ON "request_logs"("provider", "created_at" DESC);
CREATE INDEX "request_logs_model_created_at_idx" ON "request_logs"("model", "created_at" DESC);
CREATE INDEX "request_logs_virtual_key_id_created_at_idx" ON "request_logs"("virtual_key_id", "created_at" DESC);
CREATE INDEX "request_logs_team_id_created_at_idx" ON "request_logs"("team_id", "created_at" DESC);
CREATE INDEX "request_logs_customer_id_created_at_idx" ON "request_logs"("customer_id", "created_at" DESC);
CREATE INDEX "request_logs_user_id_created_at_idx" ON "request_logs"("user_id", "created_at" DESC);
CREATE INDEX "request_logs_status_created_at_idx" ON "request_logs"("status", "created_at" DESC);
CREATE INDEX "request_logs_routing_rule_created_at_idx" ON "request_logs"("routing_rule", "created_at" DESC) WHERE "routing_rule" IS NOT NULL;
CREATE INDEX "request_logs_cache_created_at_idx" ON "request_logs"("cache", "created_at" DESC) WHERE "cache" <> 'none';
CREATE INDEX "request_logs_tags_idx" ON "request_logs" USING GIN ("tags");
CREATE INDEX "request_logs_search_text_idx" ON "request_logs" USING GIN (to_tsvector('simple', coalesce("search_text", '')));

CREATE TABLE "request_log_bodies" (
    "log_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "request_body" TEXT,
    "response_body" TEXT,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "request_log_bodies_pkey" PRIMARY KEY ("log_id", "created_at")
) PARTITION BY RANGE ("created_at");

-- Rows outside every day partition land here instead of failing the insert;
-- switchyard_ensure_log_partitions moves them into their day when it creates it.
CREATE TABLE "request_logs_default" PARTITION OF "request_logs" DEFAULT;
CREATE TABLE "request_log_bodies_default" PARTITION OF "request_log_bodies" DEFAULT;

CREATE TABLE "usage_rollups" (
    "granularity" "RollupGranularity" NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "team_id" TEXT NOT NULL DEFAULT '',
    "virtual_key_id" TEXT NOT NULL DEFAULT '',
    "customer_id" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "status_class" TEXT NOT NULL,
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
    CONSTRAINT "usage_rollups_pkey" PRIMARY KEY ("granularity", "bucket", "team_id", "virtual_key_id", "customer_id", "provider", "model", "status_class")
);
CREATE INDEX "usage_rollups_granularity_bucket_idx" ON "usage_rollups"("granularity", "bucket");

CREATE TABLE "audit_logs" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_user_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "entity_name" TEXT,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_logs_created_at_idx" ON "audit_logs"("created_at" DESC);
CREATE INDEX "audit_logs_entity_type_entity_id_idx" ON "audit_logs"("entity_type", "entity_id");

CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- ───────────── foreign keys ─────────────
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "teams" ADD CONSTRAINT "teams_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "provider_keys" ADD CONSTRAINT "provider_keys_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "routing_targets" ADD CONSTRAINT "routing_targets_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "routing_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "budget_periods" ADD CONSTRAINT "budget_periods_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────── partition maintenance ─────────────
-- Creates the day partitions [first_day, first_day + days) of both log tables.
-- Rows already parked in the DEFAULT partition for such a day are moved into it
-- (Postgres refuses to create a partition whose range the default partition holds rows for).
CREATE FUNCTION switchyard_ensure_log_partitions(first_day DATE, days INTEGER)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  day DATE;
  lo TIMESTAMPTZ;
  hi TIMESTAMPTZ;
  parent TEXT;
  part TEXT;
  created INTEGER := 0;
BEGIN
  -- Serialise concurrent callers (several gateway replicas start together).
  PERFORM pg_advisory_xact_lock(hashtext('switchyard_ensure_log_partitions'));
  FOR i IN 0 .. days - 1 LOOP
    day := first_day + i;
    -- Day boundaries are UTC midnights whatever the session time zone is.
    lo := day::timestamp AT TIME ZONE 'UTC';
    hi := (day + 1)::timestamp AT TIME ZONE 'UTC';
    FOREACH parent IN ARRAY ARRAY['request_logs', 'request_log_bodies'] LOOP
      part := parent || '_p' || to_char(day, 'YYYYMMDD');
      CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
      EXECUTE format('CREATE TEMP TABLE switchyard_parked ON COMMIT DROP AS
                        WITH moved AS (DELETE FROM %I WHERE created_at >= %L AND created_at < %L RETURNING *)
                        SELECT * FROM moved',
                     parent || '_default', lo, hi);
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, lo, hi);
      EXECUTE format('INSERT INTO %I SELECT * FROM switchyard_parked', parent);
      DROP TABLE switchyard_parked;
      created := created + 1;
    END LOOP;
  END LOOP;
  RETURN created;
END;
$$;

-- Retention: drops the day partitions strictly older than keep_from.
CREATE FUNCTION switchyard_drop_log_partitions_before(keep_from DATE)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  rec RECORD;
  dropped INTEGER := 0;
BEGIN
  FOR rec IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname IN ('request_logs', 'request_log_bodies')
      AND c.relname ~ '_p[0-9]{8}$'
      AND to_date(right(c.relname, 8), 'YYYYMMDD') < keep_from
  LOOP
    EXECUTE format('DROP TABLE %I', rec.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END;
$$;
