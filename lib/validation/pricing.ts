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
