import { describe, expect, it } from "vitest";
import { resolveRoute } from "./resolve-route";
import { fallback, healthy, provider, request, rule, target, view } from "./routing-fixtures.test-helpers";
import { seededRandom } from "./weighted-pick";

const providers = [
  provider("anthropic", { models: ["claude-*"] }),
  provider("mistral", { models: ["devstral-*", "mistral-large"] }),
  provider("openai", { models: ["gpt-4o", "gpt-4o-mini"] }),
  provider("azure", { models: ["gpt-4o"] }),
  provider("llama", { models: ["qwen3"], requestTypes: ["chat"] }),
];

describe("resolveRoute", () => {
  it("S1: a claude-* rule sends Claude models to Mistral", () => {
    const v = view(providers, [rule("sovereignty", 'model.startsWith("claude-")', [target("mistral", "devstral-medium")])]);
    const r = resolveRoute(request({ model: "claude-sonnet-4", requestType: "messages_stream" }), v, healthy());
    expect(r.matchedRule?.name).toBe("sovereignty");
    expect(r.chain).toEqual([{ role: "primary", provider: "mistral", model: "devstral-medium", providerKey: null }]);
  });

  it("evaluates headers, tags, metadata, params and usage", () => {
    const v = view(providers, [
      rule("all", 'headers["x-team"] == "a" && "beta" in tags && metadata.env == "prod" && params.temperature < 0.5 && budget_used > 0.8', [target("azure", "gpt-4o")]),
    ]);
    const base = { headers: { "X-Team": "a" }, tags: ["beta"], metadata: { env: "prod" }, body: { temperature: 0.2, messages: [] }, usage: { budgetUsed: 0.9 } };
    expect(resolveRoute(request(base), v, healthy()).matchedRule?.name).toBe("all");
    expect(resolveRoute(request({ ...base, usage: { budgetUsed: 0.5 } }), v, healthy()).matchedRule).toBeNull();
  });

  it("a more specific scope wins over a higher-priority global rule", () => {
    const v = view(providers, [
      rule("global", "", [target("openai", "gpt-4o")], { priority: 1000 }),
      rule("team", "", [target("azure", "gpt-4o")], { scope: "team", scopeId: "t1" }),
      rule("other-team", "", [target("mistral", "mistral-large")], { scope: "team", scopeId: "t2", priority: 5000 }),
    ]);
    const r = resolveRoute(request({ team: { id: "t1", name: "alpha" } }), v, healthy());
    expect(r.matchedRule?.name).toBe("team");
    expect(r.rulesEvaluated).toBe(1);
    expect(resolveRoute(request(), v, healthy()).matchedRule?.name).toBe("global");
  });

  it("a condition that fails at run time does not match and is reported", () => {
    const v = view(providers, [rule("missing-key", 'metadata.env == "prod"', [target("azure", "gpt-4o")])]);
    const r = resolveRoute(request(), v, healthy());
    expect(r.matchedRule).toBeNull();
    expect(r.ruleErrors).toEqual([{ ruleName: "missing-key", message: "No such key: env" }]);
    expect(r.source).toBe("catalog");
  });

  it("S4: a 70/30 split holds within ±2 points over 10,000 picks", () => {
    const v = view(providers, [rule("split", "", [target("openai", "gpt-4o", 70), target("azure", "gpt-4o", 30)])]);
    const random = seededRandom(42);
    let openai = 0;
    for (let i = 0; i < 10_000; i++) if (resolveRoute(request(), v, healthy(), random).chain[0]?.provider === "openai") openai++;
    expect(Math.abs(openai / 100 - 70)).toBeLessThanOrEqual(2);
  });

  it("orders the chain: drawn primary, other targets, then fallbacks by position", () => {
    const v = view(providers, [
      rule("r", "", [target("openai", "gpt-4o", 1), target("azure", "gpt-4o", 1), fallback("llama", "qwen3", 2), fallback("mistral", "mistral-large", 1)]),
    ]);
    const r = resolveRoute(request(), v, healthy(), () => 0.99);
    expect(r.chain.map((s) => `${s.role}:${s.provider}`)).toEqual(["primary:azure", "alternate:openai", "fallback:mistral", "fallback:llama"]);
  });

  it("S2: a provider over its token cap is excluded with the reason and the fallback takes over", () => {
    const v = view(providers, [rule("capped", "", [target("openai", "gpt-4o"), fallback("llama", "qwen3", 0)])]);
    const health = healthy({ overLimit: (p) => (p === "openai" ? "daily token cap 100000 reached" : null) });
    const r = resolveRoute(request(), v, health);
    expect(r.candidates[0]?.excluded).toEqual({ reason: "over_limit", detail: "daily token cap 100000 reached" });
    expect(r.chain).toEqual([{ role: "primary", provider: "llama", model: "qwen3", providerKey: null }]);
  });

  it("excludes targets with a reason: disabled, request type, circuit, cooldown, unknown", () => {
    const v = view(
      [...providers.filter((p) => p.name !== "mistral"), provider("mistral", { enabled: false })],
      [rule("r", "", [target("mistral", "m"), target("llama", "qwen3"), target("openai", "gpt-4o"), target("azure", "gpt-4o"), target("ghost", "x"), target("anthropic", "claude-x", 1, { providerKey: "nope" })])],
    );
    const health = healthy({ circuits: { isAvailable: (p) => p !== "openai" }, keyCooldowns: { isCoolingDown: (id) => id === "azure-k1" } });
    const r = resolveRoute(request({ requestType: "embeddings" }), v, health);
    expect(r.candidates.map((c) => c.excluded?.reason)).toEqual(["provider_disabled", "request_type_not_accepted", "circuit_open", "no_usable_key", "provider_unknown", "provider_key_unknown"]);
    expect(r.chain).toEqual([]);
  });

  it("without a rule: explicit provider/model, then the key's providers, then the catalog", () => {
    const v = view(providers, []);
    expect(resolveRoute(request({ model: "azure/gpt-4o" }), v, healthy()).chain[0]).toMatchObject({ provider: "azure", model: "gpt-4o" });
    const withKey = resolveRoute(request({ key: { id: "k", name: "ci", allowedProviders: ["mistral", "azure"] } }), v, healthy());
    expect(withKey.source).toBe("key_providers");
    expect(withKey.chain.map((s) => s.provider)).toEqual(["azure"]);
    const catalog = resolveRoute(request(), v, healthy(), () => 0);
    expect(catalog.source).toBe("catalog");
    expect(catalog.chain.map((s) => s.provider)).toEqual(["openai", "azure"]);
    const none = resolveRoute(request({ model: "unknown-model" }), v, healthy());
    expect(none.source).toBe("none");
    expect(none.noRuleReason).toMatch(/No provider lists 'unknown-model'/);
  });

  it("keeps slashes that are not a provider prefix and resolves aliases", () => {
    const v = view([provider("together", { models: ["meta-llama/*"] })], [], { fast: "together/meta-llama/Llama-3-8b" });
    expect(resolveRoute(request({ model: "meta-llama/Llama-3-8b" }), v, healthy()).chain[0]).toMatchObject({ provider: "together", model: "meta-llama/Llama-3-8b" });
    const aliased = resolveRoute(request({ model: "fast" }), v, healthy());
    expect(aliased.alias).toEqual({ from: "fast", to: "together/meta-llama/Llama-3-8b" });
    expect(aliased.explicitProvider).toBe("together");
    expect(aliased.model).toBe("meta-llama/Llama-3-8b");
  });
});
