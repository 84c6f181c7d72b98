// Admin API shapes for routing rules (PRODUCT §4.1, §10), derived from the config file's
// `routingRuleBaseSchema` (STYLE §6). Over the API the CEL expression is called `condition`
// (the column's name and what the dashboard's builder edits); the YAML keeps `when`.
import { z } from "zod";
import { FALLBACK_TRIGGERS, type FallbackTrigger } from "../routing/fallback-triggers";
import { entityNameSchema, uniqueList } from "./common";
import { requestTypeSchema } from "./providers";
import { routingRuleBaseSchema, routingTargetSchema, routingFallbackSchema, ROUTING_SCOPES } from "./routing-rules";

export { FALLBACK_TRIGGERS, type FallbackTrigger };

export const fallbackTriggerSchema = z.enum(FALLBACK_TRIGGERS, {
  error: (issue) =>
    issue.input === undefined ? undefined : `unknown trigger ${JSON.stringify(issue.input)}; expected one of ${FALLBACK_TRIGGERS.join(", ")}`,
});

// Bounds keep one request from holding a client for minutes of back-off.
export const retryInputSchema = z.strictObject({
  max_attempts: z.int().min(1).max(10).optional(),
  base_delay_ms: z.int().min(0).max(60_000).optional(),
  max_delay_ms: z.int().min(0).max(300_000).optional(),
});
export type RetryInput = z.output<typeof retryInputSchema>;

const ruleFieldsSchema = routingRuleBaseSchema.omit({ when: true }).extend({
  /** CEL over the request; empty or absent matches every request. Compiled on save. */
  condition: routingRuleBaseSchema.shape.when,
  /** Alternative to scope_name for callers that hold ids (the dashboard's pickers). */
  scope_id: z.string().min(1).max(64).optional(),
  /** null = the gateway's defaults (PRODUCT §4.2). */
  fallback_on: uniqueList(fallbackTriggerSchema).nullable().optional(),
  /** null = the gateway's default retry policy. */
  retry: retryInputSchema.nullable().optional(),
});

export const createRoutingRuleInputSchema = ruleFieldsSchema.superRefine((rule, ctx) => {
  if (rule.scope_name !== undefined && rule.scope_id !== undefined) {
    ctx.addIssue({ code: "custom", message: "give scope_name or scope_id, not both", path: ["scope_id"] });
  }
});

// Absent leaves a field as it is; targets and fallbacks are replaced as whole lists. Whether
// scope and scope_name/scope_id still agree is checked on the merged rule by the service.
export const updateRoutingRuleInputSchema = ruleFieldsSchema
  .partial()
  .extend({
    scope_name: entityNameSchema.nullable().optional(),
    scope_id: z.string().min(1).max(64).nullable().optional(),
    description: z.string().max(2000).nullable().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.scope_name != null && rule.scope_id != null) {
      ctx.addIssue({ code: "custom", message: "give scope_name or scope_id, not both", path: ["scope_id"] });
    }
  });

export const reorderRoutingRulesInputSchema = z.strictObject({
  ids: uniqueList(z.string().min(1).max(64)).min(1, { error: "at least one rule id is required" }).max(10_000),
});

export type CreateRoutingRuleInput = z.output<typeof createRoutingRuleInputSchema>;
export type UpdateRoutingRuleInput = z.output<typeof updateRoutingRuleInputSchema>;
export type ReorderRoutingRulesInput = z.output<typeof reorderRoutingRulesInputSchema>;

const targetResponseSchema = routingTargetSchema.required({ weight: true }).extend({ key: z.string().nullable() });
const fallbackResponseSchema = routingFallbackSchema.extend({ key: z.string().nullable() });

export const routingRuleResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  condition: z.string(),
  scope: z.enum(ROUTING_SCOPES),
  scope_id: z.string().nullable(),
  /** Name of the scoped customer / team / key; null when global or the entity is gone. */
  scope_name: z.string().nullable(),
  priority: z.int(),
  enabled: z.boolean(),
  targets: z.array(targetResponseSchema),
  fallbacks: z.array(fallbackResponseSchema),
  fallback_on: z.array(z.string()).nullable(),
  retry: z.record(z.string(), z.int()).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type RoutingRuleResponse = z.output<typeof routingRuleResponseSchema>;

// The request explain describes (PRODUCT §4.5): what the gateway would see, minus the body.
export const explainRequestInputSchema = z
  .strictObject({
    model: z.string().min(1).max(256),
    request_type: requestTypeSchema.optional(),
    headers: z.record(z.string().max(256), z.string().max(8192)).optional(),
    virtual_key_id: z.string().min(1).max(64).optional(),
    virtual_key_name: entityNameSchema.optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    tags: z.array(z.string().max(256)).max(100).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.virtual_key_id !== undefined && input.virtual_key_name !== undefined) {
      ctx.addIssue({ code: "custom", message: "give virtual_key_id or virtual_key_name, not both", path: ["virtual_key_name"] });
    }
  });
export type ExplainRequestInput = z.output<typeof explainRequestInputSchema>;
