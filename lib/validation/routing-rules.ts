// Routing rules (PRODUCT §4): a CEL condition picks weighted targets and a fallback chain.
import { z } from "zod";
import { validateCondition } from "../routing/cel-environment";
import { entityNameSchema, modelPatternSchema, providerNameSchema } from "./common";

export const ROUTING_SCOPES = ["global", "customer", "team", "key"] as const;
export type RoutingScope = (typeof ROUTING_SCOPES)[number];

export const routingTargetSchema = z.strictObject({
  provider: providerNameSchema,
  model: modelPatternSchema,
  weight: z.int().min(0).max(10_000).optional(),
  /** Name of one of the provider's keys, to pin the target to it. */
  key: entityNameSchema.optional(),
});

export const routingFallbackSchema = routingTargetSchema.omit({ weight: true });

export const routingRuleBaseSchema = z.strictObject({
  name: entityNameSchema,
  description: z.string().max(2000).optional(),
  /** CEL expression over the request; empty matches every request. */
  when: z.string().max(10_000).optional(),
  scope: z.enum(ROUTING_SCOPES).optional(),
  /** Name of the customer / team / virtual key the rule is scoped to. */
  scope_name: entityNameSchema.optional(),
  priority: z.int().min(-1_000_000).max(1_000_000).optional(),
  enabled: z.boolean().optional(),
  targets: z.array(routingTargetSchema).min(1, { error: "at least one target is required" }),
  fallbacks: z.array(routingFallbackSchema).optional(),
});

export const routingRuleSchema = routingRuleBaseSchema.superRefine((rule, ctx) => {
  const scope = rule.scope ?? "global";
  if (scope === "global" && rule.scope_name !== undefined) {
    ctx.addIssue({ code: "custom", message: "scope_name needs scope customer, team or key", path: ["scope_name"] });
  }
  if (scope !== "global" && rule.scope_name === undefined) {
    ctx.addIssue({ code: "custom", message: `scope ${scope} needs scope_name`, path: ["scope"] });
  }
  // A condition that does not compile would never match: reject it when the file is loaded,
  // with CEL's own message and where in the expression it is (issue 5, item 1).
  const invalid = rule.when === undefined ? null : validateCondition(rule.when);
  if (invalid) {
    ctx.addIssue({
      code: "custom",
      message: `rule "${rule.name}": invalid condition at characters ${invalid.position.start}-${invalid.position.end}: ${invalid.message}`,
      path: ["when"],
    });
  }
});

export type RoutingRuleConfig = z.output<typeof routingRuleSchema>;
export type RoutingTargetConfig = z.output<typeof routingTargetSchema>;
export type RoutingFallbackConfig = z.output<typeof routingFallbackSchema>;
