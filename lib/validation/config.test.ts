import { describe, expect, it } from "vitest";
import { configDocumentSchema, type ConfigDocumentInput } from "./config";
import { budgetSchema, rateLimitSchema } from "./limits";
import { PROVIDER_TYPES } from "./provider-types";

function issues(input: unknown): string[] {
  const result = configDocumentSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const provider = { name: "mistral", type: "mistral" as const, keys: [{ name: "main", value: "secret" }] };

describe("budgetSchema", () => {
  it("takes exactly one of usd or tokens", () => {
    expect(budgetSchema.safeParse({ usd: 5, window: "1d" }).success).toBe(true);
    expect(budgetSchema.safeParse({ tokens: 1000, window: "1d" }).success).toBe(true);
    expect(budgetSchema.safeParse({ window: "1d" }).error?.issues[0]?.message).toBe("set exactly one of usd or tokens");
    expect(budgetSchema.safeParse({ usd: 5, tokens: 5, window: "1d" }).success).toBe(false);
  });

  it("rejects fractional tokens, negative amounts and bad windows", () => {
    expect(budgetSchema.safeParse({ tokens: 1.5, window: "1d" }).success).toBe(false);
    expect(budgetSchema.safeParse({ usd: -1, window: "1d" }).success).toBe(false);
    const bad = budgetSchema.safeParse({ usd: 1, window: "2x" });
    expect(bad.error?.issues[0]?.message).toMatch(/^invalid window "2x"/);
  });

  it("rejects unknown fields and repeated thresholds", () => {
    expect(budgetSchema.safeParse({ usd: 1, window: "1d", limit: 3 }).error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(budgetSchema.safeParse({ usd: 1, window: "1d", alert_thresholds: [80, 80] }).success).toBe(false);
  });
});

describe("rateLimitSchema", () => {
  it("needs at least one limit", () => {
    expect(rateLimitSchema.safeParse({ window: "1m" }).error?.issues[0]?.message).toMatch(/at least one/);
  });

  it("needs a window for requests and tokens but not for concurrency alone", () => {
    expect(rateLimitSchema.safeParse({ requests: 10 }).error?.issues[0]?.path).toEqual(["window"]);
    expect(rateLimitSchema.safeParse({ concurrent: 4 }).success).toBe(true);
    expect(rateLimitSchema.safeParse({ requests: 10, concurrent: 4, window: "1m" }).success).toBe(true);
  });
});

describe("configDocumentSchema", () => {
  it("accepts an empty document", () => {
    expect(issues({})).toEqual([]);
  });

  it("knows every adapter id, and rejects others with the list", () => {
    expect(PROVIDER_TYPES).toHaveLength(17);
    for (const type of PROVIDER_TYPES) expect(issues({ providers: [{ name: "p", type }] })).toEqual([]);
    const [message] = issues({ providers: [{ name: "p", type: "openia" }] });
    expect(message).toMatch(/^providers\.0\.type: unknown provider type "openia"; expected one of openai, azure-openai/);
  });

  it("restricts provider names to what fits in <provider>/<model>", () => {
    expect(issues({ providers: [{ name: "My Provider", type: "openai" }] })[0]).toMatch(/^providers\.0\.name:/);
    expect(issues({ providers: [{ name: "a/b", type: "openai" }] })).toHaveLength(1);
    expect(issues({ providers: [{ name: "local-llama.v2_x", type: "openai" }] })).toEqual([]);
  });

  it("rejects unknown request types and non-http base URLs", () => {
    expect(issues({ providers: [{ name: "p", type: "openai", request_types: ["chat", "images"] }] })[0]).toMatch(
      /request_types\.1: unknown request type "images"/,
    );
    expect(issues({ providers: [{ name: "p", type: "openai", base_url: "ftp://x" }] })).toHaveLength(1);
  });

  it("rejects unknown fields at every level", () => {
    expect(issues({ providerz: [] })).toEqual([': Unrecognized key: "providerz"']);
    expect(issues({ providers: [{ ...provider, keys: [{ name: "k", value: "v", wieght: 1 }] }] })[0]).toMatch(
      /^providers\.0\.keys\.0: Unrecognized key: "wieght"/,
    );
    expect(issues({ virtual_keys: [{ name: "k", models: [], budgets: [{ usd: 1, window: "1d", windw: "1M" }] }] })).toHaveLength(1);
  });

  it("checks virtual key values, emails and expiry dates", () => {
    const key = (extra: object) => ({ virtual_keys: [{ name: "k", models: ["*"], ...extra }] });
    expect(issues(key({ value: "sk-sy-long-enough-1" }))).toEqual([]);
    expect(issues(key({ value: "sk-other-1234567890" }))[0]).toMatch(/must start with "sk-sy-"/);
    expect(issues(key({ value: "sk-sy-abc" }))[0]).toMatch(/at least 8 characters/);
    expect(issues(key({ user: "not-an-email" }))).toHaveLength(1);
    expect(issues(key({ expires_at: "2026-01-31" }))).toEqual([]);
    expect(issues(key({ expires_at: "2026-01-31T10:00:00Z" }))).toEqual([]);
    expect(issues(key({ expires_at: "next week" }))).toHaveLength(1);
  });

  it("requires the allowed-model list of a virtual key (deny by default is explicit)", () => {
    expect(issues({ virtual_keys: [{ name: "k" }] })[0]).toMatch(/^virtual_keys\.0\.models:/);
  });

  it("reports duplicate names per section", () => {
    const doc: ConfigDocumentInput = {
      providers: [provider, provider],
      teams: [{ name: "t" }, { name: "t" }],
      pricing: [
        { model: "m", input_per_mtok: 1, output_per_mtok: 2 },
        { model: "m", input_per_mtok: 1, output_per_mtok: 2 },
      ],
    };
    expect(issues(doc)).toEqual([
      'providers.1.name: duplicate provider "mistral" (first defined at index 0)',
      'pricing.1.model: duplicate pricing model "m" (first defined at index 0)',
      'teams.1.name: duplicate team "t" (first defined at index 0)',
    ]);
    expect(issues({ providers: [{ ...provider, keys: [{ name: "a", value: "1" }, { name: "a", value: "2" }] }] })).toEqual([
      'providers.0.keys.1.name: duplicate key name "a" (first defined at index 0)',
    ]);
  });

  it("lets a USD and a token budget share a window, but not two of one kind", () => {
    const team = (budgets: object[]) => ({ teams: [{ name: "t", budgets }] });
    expect(issues(team([{ usd: 1, window: "1d" }, { tokens: 5, window: "1d" }, { usd: 2, window: "1d", alignment: "rolling" }]))).toEqual([]);
    expect(issues(team([{ usd: 1, window: "1d" }, { usd: 2, window: "1d" }]))[0]).toMatch(/teams\.0\.budgets\.1\.window: duplicate usd budget/);
    expect(issues(team([{ usd: 1, window: "1d" }, { tokens: 5, window: "1d", alert_thresholds: [50] }]))[0]).toMatch(
      /alert thresholds must match/,
    );
  });

  it("checks references between sections", () => {
    expect(
      issues({
        customers: [{ name: "acme" }],
        teams: [{ name: "platform", customer: "acme" }, { name: "other", customer: "globex" }],
        virtual_keys: [
          { name: "a", team: "platfrm", models: [] },
          { name: "b", team: "platform", customer: "acme", models: [], providers: ["mistral", "open*", "nope"] },
        ],
        providers: [provider],
        routing_rules: [
          {
            name: "r",
            scope: "team",
            scope_name: "ghost",
            targets: [{ provider: "mistral", model: "x", key: "backup" }],
            fallbacks: [{ provider: "missing", model: "y" }],
          },
        ],
      }),
    ).toEqual([
      'teams.1.customer: customer "globex" is not defined in this file',
      'virtual_keys.0.team: team "platfrm" is not defined in this file',
      'virtual_keys.1.providers.2: provider "nope" is not defined in this file',
      'routing_rules.0.targets.0.key: provider "mistral" has no key named "backup"',
      'routing_rules.0.fallbacks.0.provider: provider "missing" is not defined in this file',
      'routing_rules.0.scope_name: team "ghost" is not defined in this file',
    ]);
  });

  it("rejects a key whose customer differs from its team's", () => {
    const [message] = issues({
      customers: [{ name: "acme" }, { name: "globex" }],
      teams: [{ name: "t", customer: "acme" }],
      virtual_keys: [{ name: "k", team: "t", customer: "globex", models: [] }],
    });
    expect(message).toBe('virtual_keys.0.customer: team "t" belongs to customer "acme", not "globex"');
  });

  it("rejects two virtual keys with one secret without echoing it", () => {
    const value = "sk-sy-shared-secret-1";
    const result = issues({ virtual_keys: [{ name: "a", value, models: [] }, { name: "b", value, models: [] }] });
    expect(result).toEqual(['virtual_keys.1.value: same value as virtual key "a"']);
  });

  it("needs scope_name exactly when a routing rule is scoped", () => {
    const rule = (extra: object) => ({ providers: [provider], routing_rules: [{ name: "r", targets: [{ provider: "mistral", model: "m" }], ...extra }] });
    expect(issues(rule({}))).toEqual([]);
    expect(issues(rule({ scope: "team" }))).toEqual(["routing_rules.0.scope: scope team needs scope_name"]);
    expect(issues(rule({ scope_name: "t" }))).toEqual(["routing_rules.0.scope_name: scope_name needs scope customer, team or key"]);
    expect(issues(rule({ targets: [] }))).toEqual(["routing_rules.0.targets: at least one target is required"]);
  });
});
