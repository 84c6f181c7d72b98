// Budgets and rate limits (PRODUCT §5.3–5.4), shared by every entity that can carry them:
// customers, teams, virtual keys, providers and models.
import { z } from "zod";
import { windowAlignmentSchema, windowSchema } from "./common";

export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [80, 95, 100];

/** Unrefined shape, for admin API schemas that `.extend` or `.pick` it. */
export const budgetBaseSchema = z.strictObject({
  usd: z.number().nonnegative().finite().optional(),
  tokens: z.int().nonnegative().optional(),
  window: windowSchema,
  alignment: windowAlignmentSchema.optional(),
  alert_thresholds: z.array(z.int().min(1).max(1000)).max(20).optional(),
});

export const budgetSchema = budgetBaseSchema.superRefine((budget, ctx) => {
  if ((budget.usd === undefined) === (budget.tokens === undefined)) {
    ctx.addIssue({ code: "custom", message: "set exactly one of usd or tokens", path: [] });
  }
  const thresholds = budget.alert_thresholds ?? [];
  if (new Set(thresholds).size !== thresholds.length) {
    ctx.addIssue({ code: "custom", message: "alert thresholds must not repeat", path: ["alert_thresholds"] });
  }
});

export type Budget = z.output<typeof budgetSchema>;

/** Effective alignment of a budget: budgets follow the calendar unless told otherwise. */
export function budgetAlignment(budget: Budget): "calendar" | "rolling" {
  return budget.alignment ?? "calendar";
}

// The database stores one budget row per (entity, window, alignment) with a USD and a token
// limit; so one USD and one token budget may share a window, but they must then agree on
// their alert thresholds, and neither kind may appear twice.
export const budgetListSchema = z.array(budgetSchema).superRefine((budgets, ctx) => {
  const seen = new Map<string, { index: number; thresholds: string }>();
  budgets.forEach((budget, index) => {
    const alignment = budgetAlignment(budget);
    const kind = budget.usd !== undefined ? "usd" : "tokens";
    const thresholds = JSON.stringify(budget.alert_thresholds ?? DEFAULT_ALERT_THRESHOLDS);
    const sameKind = seen.get(`${budget.window}|${alignment}|${kind}`);
    if (sameKind) {
      ctx.addIssue({
        code: "custom",
        message: `duplicate ${kind} budget for window ${budget.window} (${alignment}); first defined at index ${sameKind.index}`,
        path: [index, "window"],
      });
      return;
    }
    const otherKind = seen.get(`${budget.window}|${alignment}|${kind === "usd" ? "tokens" : "usd"}`);
    if (otherKind && otherKind.thresholds !== thresholds) {
      ctx.addIssue({
        code: "custom",
        message: `alert thresholds must match those of the other budget for window ${budget.window} (${alignment}) at index ${otherKind.index}`,
        path: [index, "alert_thresholds"],
      });
    }
    seen.set(`${budget.window}|${alignment}|${kind}`, { index, thresholds });
  });
});

export const rateLimitBaseSchema = z.strictObject({
  requests: z.int().positive().optional(),
  tokens: z.int().positive().optional(),
  concurrent: z.int().positive().optional(),
  window: windowSchema.optional(),
});

export const rateLimitSchema = rateLimitBaseSchema.superRefine((limit, ctx) => {
  const windowed = limit.requests !== undefined || limit.tokens !== undefined;
  if (!windowed && limit.concurrent === undefined) {
    ctx.addIssue({ code: "custom", message: "set at least one of requests, tokens or concurrent", path: [] });
  } else if (windowed && limit.window === undefined) {
    ctx.addIssue({ code: "custom", message: "window is required with requests or tokens", path: ["window"] });
  }
});

export type RateLimit = z.output<typeof rateLimitSchema>;

export const rateLimitListSchema = z.array(rateLimitSchema);

/** The two lists every limitable entity carries; both default to empty. */
export const limitsShape = {
  budgets: budgetListSchema.optional(),
  rate_limits: rateLimitListSchema.optional(),
};
