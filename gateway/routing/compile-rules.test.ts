import { describe, expect, it } from "vitest";
import { compileRules, validateCondition } from "./compile-rules";
import { rule, target } from "./routing-fixtures.test-helpers";

describe("validateCondition", () => {
  it.each([
    'model.startsWith("claude-")',
    'headers["x-team"] == "a"',
    "budget_used > 0.8",
    '"beta" in tags',
    'request_type == "chat_stream"',
    'metadata.env == "prod"',
    'params.temperature > 0.5 && key.name == "ci"',
    "",
  ])("accepts %s", (expr) => {
    expect(validateCondition(expr)).toBeNull();
  });

  it("reports a syntax error with its position", () => {
    const error = validateCondition('model == "a" &&');
    expect(error?.code).toBe("unexpected_token");
    expect(error?.position.start).toBe(15);
    expect(error?.excerpt).toContain("^");
  });

  it("reports an unknown variable with its range", () => {
    expect(validateCondition('modle == "x"')).toMatchObject({ code: "unknown_variable", message: "Unknown variable: modle", position: { start: 0, end: 5 } });
  });

  it("rejects type errors and non-boolean conditions", () => {
    expect(validateCondition("model + 1")?.code).toBe("no_such_overload");
    expect(validateCondition("model")?.code).toBe("not_boolean");
  });
});

describe("compileRules", () => {
  it("orders by scope (key > team > customer > global), then priority (higher first), then name", () => {
    const t = [target("p", "m")];
    const set = compileRules([
      rule("g-low", "", t, { priority: 1 }),
      rule("g-high-b", "", t, { priority: 9 }),
      rule("g-high-a", "", t, { priority: 9 }),
      rule("customer", "", t, { scope: "customer", scopeId: "c1", priority: 100 }),
      rule("key", "", t, { scope: "key", scopeId: "k1", priority: -5 }),
      rule("team", "", t, { scope: "team", scopeId: "t1" }),
      rule("disabled", "", t, { enabled: false, scope: "key", scopeId: "k1" }),
    ]);
    expect(set.ordered.map((r) => r.name)).toEqual(["key", "team", "customer", "g-high-a", "g-high-b", "g-low"]);
    expect(set.byKeyId.get("k1")?.map((r) => r.name)).toEqual(["key"]);
    expect(set.global.map((r) => r.name)).toEqual(["g-high-a", "g-high-b", "g-low"]);
  });

  it("reports broken rules with the CEL error and keeps the others", () => {
    const set = compileRules([
      rule("ok", 'model == "a"', [target("p", "m")]),
      rule("broken", "model ==", [target("p", "m")]),
      rule("bad-fallback-on", "", [target("p", "m")], { fallbackOn: ["sometimes"] }),
      rule("unowned", "", [target("p", "m")], { scope: "team", scopeId: null }),
    ]);
    expect(set.ordered.map((r) => r.name)).toEqual(["ok"]);
    expect(set.errors.map((e) => [e.ruleName, e.field])).toEqual([
      ["broken", "condition"],
      ["bad-fallback-on", "fallbackOn"],
      ["unowned", "scope"],
    ]);
    expect(set.errors[0]?.cel?.position.start).toBe(8);
    expect(set.errors[0]?.message).toMatch(/at 8\.\.8/);
  });

  it("parses fallbackOn and retry overrides", () => {
    const set = compileRules([rule("r", "", [target("p", "m")], { fallbackOn: ["validation_error"], retry: { maxAttempts: 2 } })]);
    expect(set.ordered[0]?.fallbackOn).toEqual(["validation_error"]);
    expect(set.ordered[0]?.retry.maxAttempts).toBe(2);
  });
});

describe("usage variables detection", () => {
  it("flags the rule set only when a rule reads budget_used, tokens_used or requests_used", () => {
    const plain = compileRules([rule("a", 'model == "gpt-4o"', [target("p", "m")])]);
    expect(plain.usesUsage).toBe(false);
    expect(plain.ordered[0]?.usesUsage).toBe(false);
    for (const condition of ["budget_used > 0.5", "tokens_used >= 0.9 || false", 'model == "x" && requests_used > 0.1']) {
      const set = compileRules([rule("b", condition, [target("p", "m")])]);
      expect(set.usesUsage).toBe(true);
    }
    // A map key that merely contains the name is not the variable.
    expect(compileRules([rule("c", 'metadata.my_budget_used_flag == "1"', [target("p", "m")])]).usesUsage).toBe(false);
  });
});
