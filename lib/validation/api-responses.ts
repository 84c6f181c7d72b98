// zod shapes of admin API answers that are built by functions rather than parsed from a
// schema (logs, usage, alerts, cache, audit pages, live-log tokens, routing explain). They
// feed the OpenAPI document (lib/openapi) and lib/openapi/openapi.test.ts checks the real
// builders' output against them, so the description cannot drift from what is sent.
import { z } from "zod";
import { auditEntryResponseSchema } from "./audit";
import { cacheInvalidationSchema } from "./cache";

const tokensSchema = z.strictObject({ input: z.int(), output: z.int(), cache_read: z.int(), cache_write: z.int(), reasoning: z.int() });

export const apiLogSchema = z
  .strictObject({
    id: z.string(),
    timestamp: z.string(),
    status: z.int(),
    client_api: z.string(),
    request_type: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    requested_model: z.string().nullable(),
    virtual_key: z.string().nullable(),
    virtual_key_id: z.string().nullable(),
    team: z.string().nullable(),
    customer: z.string().nullable(),
    routing_rule: z.string().nullable(),
    stream: z.boolean(),
    latency_ms: z.int(),
    ttft_ms: z.int().nullable(),
    tokens: tokensSchema,
    cost_usd: z.number(),
    cache: z.string(),
    attempts: z.int(),
    fallback_reason: z.string().nullable(),
    error: z.strictObject({ type: z.string().nullable(), message: z.string().nullable(), source: z.string().nullable() }).nullable(),
    tags: z.array(z.string()),
  })
  .meta({ id: "RequestLog", description: "One request as listed; the live-log socket pushes the same object (status null until the end)." });

export const logsPageSchema = z.strictObject({
  data: z.array(apiLogSchema),
  next_cursor: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

export const apiLogDetailSchema = apiLogSchema
  .extend({
    team_id: z.string().nullable(),
    customer_id: z.string().nullable(),
    user_id: z.string().nullable(),
    cost_breakdown: z.json().nullable(),
    cache_saved_usd: z.number().nullable(),
    attempt_details: z.json(),
    param_transformations: z.json(),
    metadata: z.json(),
    body_visible: z.boolean(),
    body: z.strictObject({ request: z.string().nullable(), response: z.string().nullable(), truncated: z.boolean() }).nullable(),
  })
  .meta({ id: "RequestLogDetail" });

const usageMetricsShape = {
  requests: z.number(),
  errors: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  reasoning_tokens: z.number(),
  cost_usd: z.number(),
  cache_saved_usd: z.number(),
  cache_hits: z.number(),
  avg_latency_ms: z.number().nullable(),
};

export const usageReportSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["hour", "day"]),
    group_by: z.string(),
    buckets: z.array(z.strictObject({ bucket: z.string(), group: z.string().nullable().optional(), group_id: z.string().nullable().optional(), ...usageMetricsShape })),
    totals: z.strictObject(usageMetricsShape),
  })
  .meta({ id: "UsageReport" });

export const alertResponseSchema = z
  .strictObject({
    id: z.string(),
    budget_id: z.string(),
    threshold_percent: z.int(),
    window_start: z.string(),
    used_usd: z.number().nullable(),
    used_tokens: z.number().nullable(),
    triggered_at: z.string(),
    delivered_at: z.string().nullable(),
    delivery_error: z.string().nullable(),
    acknowledged_at: z.string().nullable(),
    budget: z.strictObject({
      entity_type: z.string(),
      entity_id: z.string(),
      window: z.string(),
      alignment: z.string(),
      limit_usd: z.number().nullable(),
      limit_tokens: z.number().nullable(),
    }),
  })
  .meta({ id: "Alert" });

export const acknowledgeAlertResponseSchema = z.strictObject({ data: alertResponseSchema, already_acknowledged: z.boolean() });

export const cacheStatsSchema = z
  .strictObject({
    hours: z.number(),
    shared_vectors: z.boolean(),
    namespaces: z.array(
      z.strictObject({
        namespace: z.string(),
        hits_exact: z.number(),
        hits_semantic: z.number(),
        misses: z.number(),
        bypassed: z.number(),
        saved_usd: z.number(),
        semantic_entries: z.number().nullable(),
      }),
    ),
    totals: z.strictObject({ hits: z.number(), misses: z.number(), saved_usd: z.number() }),
  })
  .meta({ id: "CacheStats" });

export const cacheInvalidationResultSchema = z.strictObject({ target: cacheInvalidationSchema, deleted_shared_entries: z.int(), notified: z.literal(true) });

export const auditPageSchema = z.strictObject({ data: z.array(auditEntryResponseSchema), next_cursor: z.string().nullable() });
export const auditFacetsSchema = z.strictObject({ entity_types: z.array(z.string()), actions: z.array(z.string()) });

export const liveTokenSchema = z
  .strictObject({ token: z.string(), expires_at: z.string(), url: z.string().meta({ description: "ws(s)://…/ws; append ?token=…&filters" }) })
  .meta({ id: "LiveLogToken" });

/** The gateway's answer, relayed as is (gateway/admin/explain-route.ts). */
export const routeExplanationSchema = z
  .looseObject({
    summary: z.string(),
    candidates: z.array(z.looseObject({})),
    chain: z.array(z.looseObject({ provider: z.string(), model: z.string() })),
    usage: z.strictObject({ budget_used: z.number(), tokens_used: z.number(), requests_used: z.number() }),
    warnings: z.array(z.string()),
  })
  .meta({ id: "RouteExplanation" });

/** An OpenAI chat completion (JSON) or its SSE stream, relayed unchanged from the gateway. */
export const chatCompletionPassthroughSchema = z.looseObject({}).meta({ id: "ChatCompletion", description: "OpenAI Chat Completions object, or text/event-stream when stream: true" });
