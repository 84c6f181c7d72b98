import { describe, expect, it } from "vitest";
import { explainRoute } from "./explain";
import { resolveRoute } from "./resolve-route";
import { fallback, healthy, provider, request, rule, target, view } from "./routing-fixtures.test-helpers";
import { seededRandom } from "./weighted-pick";

describe("explainRoute", () => {
  it("shows the rule, shares, exclusions with reasons and the chain, as plain JSON", () => {
    const v = view(
      [provider("openai", { models: ["gpt-4o"] }), provider("azure", { models: ["gpt-4o"] }), provider("llama", { requestTypes: ["chat"] })],
      [rule("split", 'request_type == "chat"', [target("azure", "gpt-4o", 30), target("openai", "gpt-4o", 70), fallback("llama", "qwen3", 0)], { priority: 5 })],
    );
    const health = healthy({ keyCooldowns: { isCoolingDown: (id) => id === "llama-k1" } });
    const explanation = explainRoute(request(), v, health);
    expect(JSON.parse(JSON.stringify(explanation))).toEqual(explanation);
    expect(explanation.matchedRule?.name).toBe("split");
    expect(explanation.candidates.map((c) => [c.provider, c.sharePercent, c.excluded?.reason ?? null])).toEqual([
      ["azure", 30, null],
      ["openai", 70, null],
      ["llama", 0, "no_usable_key"],
    ]);
    expect(explanation.candidates[2]?.keys).toEqual([{ name: "k1", weight: 1, excluded: "cooling_down" }]);
    expect(explanation.chain.map((s) => `${s.role}:${s.provider}`)).toEqual(["primary:openai", "alternate:azure"]);
    expect(explanation.summary).toMatch(/Rule 'split'.*primary openai\/gpt-4o/);
  });

  it("says why no rule matched", () => {
    const v = view([provider("openai", { models: ["gpt-4o"] })], [rule("never", 'model == "x"', [target("openai", "gpt-4o")])]);
    const explanation = explainRoute(request(), v, healthy());
    expect(explanation.matchedRule).toBeNull();
    expect(explanation.noRuleReason).toBe("None of the 1 applicable rules matched");
    expect(explanation.source).toBe("catalog");
  });
});

describe("rule matching cost (benchmark, not timed-asserted)", () => {
  it("prints the per-request cost with 1,000 rules loaded", () => {
    // 1,000 global rules, none matching until the last: the worst case for a linear scan.
    const rules = Array.from({ length: 1_000 }, (_, i) =>
      rule(`r${String(i).padStart(4, "0")}`, i === 999 ? "" : `model.startsWith("claude-${i}") && headers["x-team"] == "t${i}" && budget_used > 0.${(i % 9) + 1}`, [target("openai", "gpt-4o")], { priority: -i }),
    );
    const compileStart = performance.now();
    const v = view([provider("openai", { models: ["gpt-4o"] })], rules);
    const compileMs = performance.now() - compileStart;
    const req = request({ headers: { "x-team": "a" }, usage: { budgetUsed: 0.5 }, body: { temperature: 0.3 } });
    const random = seededRandom(1);
    for (let i = 0; i < 200; i++) resolveRoute(req, v, healthy(), random);
    const n = 2_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) resolveRoute(req, v, healthy(), random);
    const perRequestUs = ((performance.now() - start) / n) * 1000;
    console.log(`[routing bench] 1,000 rules: compile ${compileMs.toFixed(1)} ms once; worst-case match ${perRequestUs.toFixed(1)} µs/request (${(perRequestUs / 1000).toFixed(3)} µs/rule)`);
    expect(resolveRoute(req, v, healthy(), random).matchedRule?.name).toBe("r0999");
  });
});
