// The LiteLLM and Bifrost importers on realistic configs written from those projects' public
// documentation: the resulting providers, keys, rules and limits, the "not mapped" report, and
// that the output validates and applies like any Switchyard config file.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMasterKeyForTesting } from "../../crypto/secret-box";
import { createPrismaClient, type PrismaClient } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database";
import { applyConfig } from "../apply";
import { parseConfigText } from "../load";
import { importConfigText, importedYaml } from "./index";
import { translateCel } from "./bifrost";

const litellm = readFileSync(new URL("./__fixtures__/litellm-config.yaml", import.meta.url), "utf8");
const bifrost = readFileSync(new URL("./__fixtures__/bifrost-config.json", import.meta.url), "utf8");
const env = new Proxy({} as Record<string, string>, { get: (_t, name) => `secret-of-${String(name)}` });

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  setMasterKeyForTesting(randomBytes(32));
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});

afterAll(async () => {
  setMasterKeyForTesting(undefined);
  await prisma?.$disconnect();
  await db?.drop();
});

function paths(result: ReturnType<typeof importConfigText>): string[] {
  return result.notMapped.map((n) => n.path);
}

describe("LiteLLM importer", () => {
  const result = importConfigText("litellm", litellm);
  const doc = result.document;

  it("maps deployments to providers with ${VAR} keys, models and settings", () => {
    expect(doc.providers?.map((p) => [p.name, p.type, p.base_url ?? null])).toEqual([
      ["openai", "openai", null],
      ["azure", "azure-openai", "https://my-endpoint-europe.openai.azure.com"],
      ["anthropic", "anthropic", null],
      ["openai-2", "openai-compatible", "http://127.0.0.1:8081/v1"],
      ["ollama", "ollama", "http://127.0.0.1:11434"],
    ]);
    const byName = Object.fromEntries((doc.providers ?? []).map((p) => [p.name, p]));
    expect(byName.openai!.keys).toEqual([{ name: "openai_api_key", value: "${OPENAI_API_KEY}" }]);
    expect(byName.azure!.settings).toEqual({ api_version: "2024-02-01" });
    expect(byName.anthropic!.settings).toEqual({ timeouts: { firstByteMs: 300_000, streamIdleMs: 60_000 } });
    expect(byName.ollama!.keys).toEqual([{ name: "none", value: "unused" }]);
    expect(doc.pricing).toEqual([{ model: "openai/gpt-4o", input_per_mtok: 2.5, output_per_mtok: 10 }]);
    expect(doc.models).toEqual([{ model: "openai/gpt-4o", rate_limits: [{ requests: 480, window: "1m" }, { tokens: 100000, window: "1m" }] }]);
  });

  it("turns a load-balanced group into a weighted rule with its fallbacks, single deployments into aliases", () => {
    expect(doc.routing_rules).toEqual([
      {
        name: "litellm gpt-4o",
        description: 'Imported from LiteLLM model group "gpt-4o"',
        when: 'model == "gpt-4o"',
        targets: [{ provider: "openai", model: "gpt-4o", weight: 100 }, { provider: "azure", model: "gpt-4o-eu", weight: 200 }],
        fallbacks: [{ provider: "anthropic", model: "claude-sonnet-4-5" }],
      },
    ]);
    expect(doc.model_aliases).toEqual({ "claude-sonnet": "anthropic/claude-sonnet-4-5", "local-coder": "openai-2/qwen-coder", llama3: "ollama/llama3", "gpt-4": "openai/gpt-4o" });
    expect(doc.settings).toEqual({ cache_default_ttl_seconds: 600, cache_similarity_threshold: 0.9 });
  });

  it("reports everything it could not map, with a reason", () => {
    expect(paths(result).sort()).toEqual([
      "environment_variables.REDIS_HOST",
      "general_settings.database_url",
      "general_settings.master_key",
      "litellm_settings.budget_duration",
      "litellm_settings.cache",
      "litellm_settings.cache_params.type",
      "litellm_settings.drop_params",
      "litellm_settings.max_budget",
      "litellm_settings.success_callback",
      "model_list[0].model_info.id",
      "model_list[3].litellm_params.temperature",
      "router_settings.context_window_fallbacks",
      "router_settings.num_retries",
    ]);
    expect(result.notMapped.every((n) => n.reason.length > 10)).toBe(true);
    expect(result.notMapped.find((n) => n.path === "general_settings.master_key")?.reason).toContain("SWITCHYARD_ADMIN_TOKEN");
  });

  it("writes a config file that validates and applies", async () => {
    const yaml = importedYaml("litellm", "config.yaml", result);
    expect(yaml).toContain("# Not mapped:");
    const loaded = parseConfigText(yaml, { env });
    const summary = await applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs });
    expect(summary.counts.providers.created).toBe(5);
    expect(summary.counts.routing_rules.created).toBe(1);
    const rule = await prisma.routingRule.findUniqueOrThrow({ where: { name: "litellm gpt-4o" }, include: { targets: true } });
    expect(rule.targets).toHaveLength(3);
  });
});

describe("Bifrost importer", () => {
  const result = importConfigText("bifrost", bifrost);
  const doc = result.document;

  it("maps providers and keys, with azure endpoints and bedrock regions", () => {
    const byName = Object.fromEntries((doc.providers ?? []).map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(["openai", "anthropic", "azure", "bedrock"]);
    expect(byName.openai!.keys).toEqual([
      { name: "openai-primary", value: "${OPENAI_KEY_1}", weight: 2 },
      { name: "openai-secondary", value: "${OPENAI_KEY_2}", models: ["gpt-4o-mini"] },
    ]);
    expect(byName.openai!.settings).toEqual({ timeouts: { firstByteMs: 120_000 } });
    expect(byName.azure).toMatchObject({ type: "azure-openai", base_url: "https://my-resource.openai.azure.com" });
    expect(byName.bedrock).toMatchObject({ type: "bedrock", settings: { region: "us-east-1" } });
    expect(byName.bedrock!.keys).toBeUndefined();
    // Provider-wide model config ("*") becomes the provider's own limit.
    expect(byName.anthropic!.rate_limits).toEqual([{ requests: 10000, window: "1h" }]);
  });

  it("maps customers, teams, keys and their budgets and rate limits by id", () => {
    expect(doc.customers).toEqual([{ name: "Acme Corp", budgets: [{ usd: 2000, window: "1M", alignment: "rolling" }], rate_limits: [{ requests: 10000, window: "1h" }] }]);
    expect(doc.teams).toEqual([{ name: "ML Team", customer: "Acme Corp", budgets: [{ usd: 500, window: "1M", alignment: "rolling" }] }]);
    expect(doc.virtual_keys).toEqual([
      {
        name: "platform-key",
        team: "ML Team",
        models: ["openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/*"],
        providers: ["openai", "anthropic"],
        budgets: [{ usd: 100, window: "1d", alignment: "rolling" }],
        rate_limits: [{ requests: 5000, window: "1h" }, { tokens: 5000000, window: "1h" }],
      },
      { name: "paused-key", customer: "Acme Corp", models: ["openai/*"], providers: ["openai"], active: false },
    ]);
    expect(doc.models).toEqual([{ model: "openai/gpt-4o", budgets: [{ usd: 300, window: "1w", alignment: "rolling" }] }]);
    expect(doc.settings).toEqual({ log_retention_days: 90 });
  });

  it("carries CEL rules over with Switchyard variable names, scopes and priorities", () => {
    expect(translateCel("request.model == 'gpt-4o' && request.headers['x'] == 'y'")).toBe("model == 'gpt-4o' && headers['x'] == 'y'");
    expect(doc.routing_rules).toEqual([
      {
        name: "Redirect GPT-4o to Azure",
        when: "model == 'gpt-4o'",
        priority: -1,
        targets: [{ provider: "azure", model: "gpt-4o", weight: 80 }, { provider: "openai", model: "gpt-4o", weight: 20 }],
        fallbacks: [{ provider: "anthropic", model: "claude-sonnet-4-5" }],
      },
      {
        name: "ML team to Claude",
        when: "headers['x-project'] == 'research'",
        scope: "team",
        scope_name: "ML Team",
        targets: [{ provider: "anthropic", model: "claude-sonnet-4-5", weight: 100 }],
        fallbacks: [{ provider: "openai", model: "claude-sonnet-4-5" }],
      },
    ]);
  });

  it("reports what it could not map, with a reason", () => {
    expect(paths(result).sort()).toEqual([
      "$schema",
      "client.enforce_auth_on_inference",
      "encryption_key",
      "governance.auth_config",
      "governance.budgets[budget-burst]",
      "governance.rate_limits[rl-unused]",
      "governance.routing_rules[2].targets[0]",
      "governance.routing_rules[3]",
      "governance.virtual_keys[0].provider_configs[0].weight",
      "governance.virtual_keys[0].provider_configs[1].key_ids",
      "governance.virtual_keys[0].provider_configs[1].weight",
      "governance.virtual_keys[0].value",
      "providers.bedrock.keys[0]",
      "providers.openai.network_config.max_retries",
    ]);
    const reason = (path: string) => result.notMapped.find((n) => n.path === path)?.reason ?? "";
    expect(reason("governance.routing_rules[3]")).toContain("Unknown variable");
    expect(reason("governance.budgets[budget-burst]")).toContain('"30s"');
    expect(reason("governance.virtual_keys[0].value")).toContain("printed once");
  });

  it("writes a config file that validates and applies", async () => {
    const yaml = importedYaml("bifrost", "config.json", result);
    const loaded = parseConfigText(yaml, { env });
    const summary = await applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs });
    expect(summary.counts.virtual_keys.created).toBe(2);
    // New Switchyard secrets for the imported keys, shown once.
    expect(summary.generatedKeys.map((k) => k.name).sort()).toEqual(["paused-key", "platform-key"]);
    const team = await prisma.team.findUniqueOrThrow({ where: { name: "ML Team" }, include: { customer: true } });
    expect(team.customer?.name).toBe("Acme Corp");
  });

  it("refuses a file that is not JSON with the parser's reason", () => {
    expect(() => importConfigText("bifrost", "{ nope")).toThrow(/not valid JSON/);
  });
});
