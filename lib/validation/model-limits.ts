// Model-level budgets and rate limits (PRODUCT §5.1), keyed by model name or glob.
import { z } from "zod";
import { modelPatternSchema } from "./common";
import { limitsShape } from "./limits";

export const modelLimitsSchema = z.strictObject({
  model: modelPatternSchema,
  ...limitsShape,
});

export type ModelLimitsConfig = z.output<typeof modelLimitsSchema>;
