// Admin API shapes for budgets and rate limits as rows of their own (/api/v1/budgets,
// /api/v1/rate-limits), derived from the config file's `budgetBaseSchema` and
// `rateLimitBaseSchema`. Unlike a config entry, one budget row may hold a USD and a token
// limit at once (the table stores both on one (entity, window, alignment)).
import { z } from "zod";
import { budgetBaseSchema, rateLimitBaseSchema } from "./limits";
import { budgetRowResponseSchema, limitEntityTypeSchema, rateLimitRowResponseSchema } from "./admin-common";

const entityShape = { entity_type: limitEntityTypeSchema, entity_id: z.string().min(1).max(256) };

export const createBudgetInputSchema = budgetBaseSchema.extend(entityShape).superRefine((budget, ctx) => {
  if (budget.usd === undefined && budget.tokens === undefined) {
    ctx.addIssue({ code: "custom", message: "set usd, tokens or both", path: [] });
  }
});

// Entity, window and alignment are the budget's identity and its usage history hangs off
// them; changing them would silently re-base the history, so that is delete + create.
export const updateBudgetInputSchema = budgetBaseSchema
  .pick({ alert_thresholds: true })
  .extend({ usd: budgetBaseSchema.shape.usd.unwrap().nullable().optional(), tokens: budgetBaseSchema.shape.tokens.unwrap().nullable().optional() });

export const budgetsQuerySchema = z.strictObject({
  entity_type: limitEntityTypeSchema.optional(),
  entity_id: z.string().min(1).max(256).optional(),
});

export type CreateBudgetInput = z.output<typeof createBudgetInputSchema>;
export type UpdateBudgetInput = z.output<typeof updateBudgetInputSchema>;
export type BudgetsQuery = z.output<typeof budgetsQuerySchema>;

export const budgetResponseSchema = budgetRowResponseSchema.extend({
  entity_type: limitEntityTypeSchema,
  entity_id: z.string(),
  current_window: z.strictObject({ start: z.string(), end: z.string(), resets_at: z.string() }),
  used_usd: z.number(),
  used_tokens: z.number(),
  /** The larger of the USD and token percentages; null when neither limit is set. */
  percent_used: z.number().nullable(),
  /** Where used_* came from: the gateway's period row, or summed from request_logs. */
  usage_source: z.enum(["budget_periods", "request_logs"]),
  reset_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const budgetPeriodResponseSchema = z.strictObject({
  id: z.string(),
  window_start: z.string(),
  window_end: z.string(),
  used_usd: z.number(),
  used_tokens: z.number(),
  reset_at: z.string().nullable(),
  reset_by: z.string().nullable(),
});

export const createRateLimitInputSchema = rateLimitBaseSchema.extend(entityShape).superRefine((limit, ctx) => {
  const windowed = limit.requests !== undefined || limit.tokens !== undefined;
  if (!windowed && limit.concurrent === undefined) {
    ctx.addIssue({ code: "custom", message: "set at least one of requests, tokens or concurrent", path: [] });
  } else if (windowed && limit.window === undefined) {
    ctx.addIssue({ code: "custom", message: "window is required with requests or tokens", path: ["window"] });
  }
});

export const updateRateLimitInputSchema = z.strictObject({
  requests: rateLimitBaseSchema.shape.requests.unwrap().nullable().optional(),
  tokens: rateLimitBaseSchema.shape.tokens.unwrap().nullable().optional(),
  concurrent: rateLimitBaseSchema.shape.concurrent.unwrap().nullable().optional(),
  window: rateLimitBaseSchema.shape.window.unwrap().nullable().optional(),
});

export const rateLimitsQuerySchema = budgetsQuerySchema;

export type CreateRateLimitInput = z.output<typeof createRateLimitInputSchema>;
export type UpdateRateLimitInput = z.output<typeof updateRateLimitInputSchema>;

export const rateLimitResponseSchema = rateLimitRowResponseSchema.extend({
  entity_type: limitEntityTypeSchema,
  entity_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
