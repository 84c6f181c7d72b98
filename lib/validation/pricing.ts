// Admin price overrides (PRODUCT §5.7), in USD per million tokens.
import { z } from "zod";
import { modelPatternSchema } from "./common";

const pricePerMTok = z.number().nonnegative().finite();

export const modelPricingSchema = z.strictObject({
  /** `provider/model` or a bare model name; `*` globs allowed. */
  model: modelPatternSchema,
  input_per_mtok: pricePerMTok,
  output_per_mtok: pricePerMTok,
  cache_read_per_mtok: pricePerMTok.optional(),
  cache_write_per_mtok: pricePerMTok.optional(),
  reasoning_per_mtok: pricePerMTok.optional(),
});

export type ModelPricingConfig = z.output<typeof modelPricingSchema>;

// ── Admin API (GET / POST / DELETE /api/v1/pricing) ─────────────────────────────────────
// POST upserts by `model`: the body is the same entry as in the config file's `pricing:`
// list, so a price typed in the dashboard and one applied from YAML are one thing. Omitted
// optional prices are stored as "unset" (they fall back as documented in lib/pricing).
export const pricingOverrideInputSchema = modelPricingSchema;
export type PricingOverrideInput = z.output<typeof pricingOverrideInputSchema>;

export const pricingOverrideResponseSchema = z.strictObject({
  id: z.string(),
  model: z.string(),
  input_per_mtok: z.number(),
  output_per_mtok: z.number(),
  cache_read_per_mtok: z.number().nullable(),
  cache_write_per_mtok: z.number().nullable(),
  reasoning_per_mtok: z.number().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PricingOverrideResponse = z.output<typeof pricingOverrideResponseSchema>;
