import { describe, expect, it } from "vitest";
import { FALLBACK_TRIGGERS as GATEWAY_TRIGGERS } from "../../gateway/routing/retry-policy";
import { FALLBACK_TRIGGERS, createRoutingRuleInputSchema, updateRoutingRuleInputSchema } from "./admin-routing-rules";

describe("admin routing-rule schemas", () => {
  // lib/ keeps its own copy of the trigger names (it must not depend on gateway/); this keeps
  // the API from accepting a name the gateway would reject when it compiles the rule.
  it("accepts exactly the gateway's fallback triggers", () => {
    expect([...FALLBACK_TRIGGERS]).toEqual([...GATEWAY_TRIGGERS]);
  });

  it("is strict and refuses scope_name together with scope_id", () => {
    const base = { name: "r", targets: [{ provider: "p", model: "m" }] };
    expect(createRoutingRuleInputSchema.safeParse(base).success).toBe(true);
    expect(createRoutingRuleInputSchema.safeParse({ ...base, priority: "1" }).success).toBe(false);
    expect(createRoutingRuleInputSchema.safeParse({ ...base, scope: "team", scope_name: "a", scope_id: "b" }).success).toBe(false);
    expect(updateRoutingRuleInputSchema.safeParse({ retry: { max_attempts: 0 } }).success).toBe(false);
    expect(updateRoutingRuleInputSchema.safeParse({ retry: { attempts: 2 } }).success).toBe(false);
  });
});
