// Pieces shared by the admin REST API schemas (PRODUCT §10): response fragments and the
// limit rows that customers, teams and keys carry. Input shapes are derived from the config
// file's schemas in this folder, so the YAML, the API and the dashboard forms agree.
import { z } from "zod";

export const LIMIT_ENTITY_TYPES = ["customer", "team", "virtual_key", "user", "provider", "model"] as const;
export const limitEntityTypeSchema = z.enum(LIMIT_ENTITY_TYPES);

/** `{id, name}` of a related entity in responses; null when unset. */
export const entityRefSchema = z.strictObject({ id: z.string(), name: z.string() }).nullable();

export const budgetRowResponseSchema = z.strictObject({
  id: z.string(),
  window: z.string(),
  alignment: z.enum(["calendar", "rolling"]),
  usd: z.number().nullable(),
  tokens: z.number().nullable(),
  alert_thresholds: z.array(z.int()),
});

export const rateLimitRowResponseSchema = z.strictObject({
  id: z.string(),
  window: z.string().nullable(),
  requests: z.int().nullable(),
  tokens: z.number().nullable(),
  concurrent: z.int().nullable(),
});

export const limitsResponseShape = {
  budgets: z.array(budgetRowResponseSchema),
  rate_limits: z.array(rateLimitRowResponseSchema),
};
