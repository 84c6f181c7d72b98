// The whole configuration document (PRODUCT §9.2, §10 "Config file"): what `npm run config
// -- apply` reads and `export` writes. Every object is strict, so a misspelled field is an
// error instead of a silently ignored setting. Sections are optional; a file describes the
// entities it names and leaves the rest of the database alone.
import { z } from "zod";
import { configSettingsSchema } from "./settings";
import { checkConfigReferences } from "./config-references";
import { customerSchema } from "./customers";
import { modelLimitsSchema } from "./model-limits";
import { modelAliasesSchema } from "./model-aliases";
import { modelPricingSchema } from "./pricing";
import { providerSchema } from "./providers";
import { routingRuleSchema } from "./routing-rules";
import { teamSchema } from "./teams";
import { virtualKeySchema } from "./virtual-keys";

export const configDocumentBaseSchema = z.strictObject({
  providers: z.array(providerSchema).optional(),
  pricing: z.array(modelPricingSchema).optional(),
  customers: z.array(customerSchema).optional(),
  teams: z.array(teamSchema).optional(),
  virtual_keys: z.array(virtualKeySchema).optional(),
  /** Model-level budgets and rate limits. */
  models: z.array(modelLimitsSchema).optional(),
  routing_rules: z.array(routingRuleSchema).optional(),
  /** `alias: provider/model` (or a bare model); one level deep. */
  model_aliases: modelAliasesSchema.optional(),
  /** Cache and logging defaults, alert webhook URL (lib/validation/settings.ts). */
  settings: configSettingsSchema.optional(),
});

export const configDocumentSchema = configDocumentBaseSchema.superRefine(checkConfigReferences);

export type ConfigDocument = z.output<typeof configDocumentSchema>;
export type ConfigDocumentInput = z.input<typeof configDocumentSchema>;

export { budgetSchema, rateLimitSchema, budgetListSchema, rateLimitListSchema } from "./limits";
export type { Budget, RateLimit } from "./limits";
export type { ProviderConfig, ProviderKeyConfig } from "./providers";
export type { ModelPricingConfig } from "./pricing";
export type { CustomerConfig } from "./customers";
export type { TeamConfig } from "./teams";
export type { VirtualKeyConfig } from "./virtual-keys";
export type { ModelLimitsConfig } from "./model-limits";
export type { RoutingRuleConfig, RoutingTargetConfig, RoutingFallbackConfig } from "./routing-rules";
