// `npm run config -- import bifrost config.json` (issue 10): a Bifrost config.json as a
// Switchyard config document. Field names follow Bifrost's public config.json documentation
// (providers with keys and network_config; governance with customers, teams, budgets,
// rate_limits, virtual_keys, model_configs and routing_rules).
//
//   providers.<name>.keys          → providers and keys (env.X → ${X}); azure / bedrock /
//                                    vertex key configs → base_url and settings
//   governance.customers / teams   → customers / teams (ids become names)
//   governance.budgets             → budgets on their owner (team, key, customer, model config)
//   governance.rate_limits         → rate limits on whoever references them
//   governance.virtual_keys        → virtual keys: team / customer, allowed provider/models
//   governance.model_configs       → model-level limits (model "*" of a provider → the provider)
//   governance.routing_rules       → routing rules; CEL carries over (request.model → model, …)
// Everything else is reported with the reason it has no Switchyard equivalent.
import { validateCondition } from "../../routing/cel-environment";
import type { ConfigDocumentInput } from "../../validation/config";
import type { ProviderType } from "../../validation/provider-types";
import { dropUndefined } from "./litellm";
import { asArray, ImportCollector, isRecord, providerNameFrom, windowFrom, type ImportResult } from "./import-report";

type Section<K extends keyof ConfigDocumentInput> = NonNullable<ConfigDocumentInput[K]>;
type BudgetOut = { usd: number; window: string; alignment?: "calendar" | "rolling" };
type RateLimitOut = { requests?: number; tokens?: number; window: string };

const PROVIDER_TYPES_BY_NAME: Readonly<Record<string, ProviderType>> = {
  openai: "openai",
  azure: "azure-openai",
  anthropic: "anthropic",
  gemini: "gemini",
  vertex: "vertex",
  bedrock: "bedrock",
  mistral: "mistral",
  groq: "groq",
  cohere: "cohere",
  ollama: "ollama",
  openrouter: "openrouter",
  xai: "xai",
  vllm: "vllm",
};

/** `env.NAME` → `${NAME}`. */
function envValue(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const env = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(value.trim())?.[1];
  return env ? `\${${env}}` : value.replaceAll("${", "$${");
}

/** Bifrost CEL → Switchyard CEL: the request fields are top-level variables here. */
export function translateCel(expression: string): string {
  return expression
    .replace(/\brequest\.model\b/g, "model")
    .replace(/\brequest\.provider\b/g, "provider")
    .replace(/\brequest\.headers\b/g, "headers")
    .replace(/\brequest\.metadata\b/g, "metadata");
}

export function importBifrost(text: string): ImportResult {
  const report = new ImportCollector();
  let source: unknown;
  try {
    source = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(source)) throw new Error("a Bifrost config.json must be an object");
  for (const key of Object.keys(source)) {
    if (["providers", "governance", "client"].includes(key)) continue;
    const reasons: Record<string, string> = {
      $schema: "file metadata",
      version: "file metadata (allow-list semantics of Bifrost versions; Switchyard lists are explicit)",
      source_of_truth: "Switchyard applies a file idempotently; use `apply --prune` to make it authoritative",
      encryption_key: "provider keys are encrypted with SWITCHYARD_MASTER_KEY (generated into the data dir when unset)",
      config_store: "the database is DATABASE_URL (or the embedded PostgreSQL)",
      logs_store: "request logs are stored in the same database, partitioned by day",
      plugins: "Bifrost plugins have no Switchyard equivalent; caching, logging, metrics and governance are built in",
      auth_config: "dashboard sign-in uses SWITCHYARD_ADMIN_EMAIL / _PASSWORD, invitations and OIDC",
    };
    report.skip(key, reasons[key] ?? "not known to the importer");
  }

  const document: ConfigDocumentInput = {};
  const settings: NonNullable<ConfigDocumentInput["settings"]> = {};

  // ── client ──
  if (isRecord(source.client)) {
    for (const [key, value] of Object.entries(source.client)) {
      if (key === "log_retention_days" && typeof value === "number") settings.log_retention_days = value;
      else if (key === "disable_content_logging" && typeof value === "boolean") settings.body_capture_default = !value;
      else report.skip(`client.${key}`, "a Bifrost client option with no Switchyard setting of that name");
    }
  }

  // ── providers ──
  const providers: Section<"providers"> = [];
  const providerNames = new Map<string, string>();
  if (isRecord(source.providers)) {
    for (const [rawName, config] of Object.entries(source.providers)) {
      const path = `providers.${rawName}`;
      if (!isRecord(config)) {
        report.skip(path, "expected an object with keys");
        continue;
      }
      const custom = isRecord(config.custom_provider_config) ? config.custom_provider_config : null;
      const base = typeof custom?.base_provider_type === "string" ? custom.base_provider_type : null;
      const type: ProviderType | undefined = PROVIDER_TYPES_BY_NAME[rawName] ?? (base === "openai" ? "openai-compatible" : base === "anthropic" ? "anthropic-compatible" : undefined);
      if (!type) {
        report.skip(path, `no Switchyard adapter for "${rawName}"${base ? ` (base provider ${base})` : ""}`);
        continue;
      }
      const name = providerNameFrom(rawName);
      providerNames.set(rawName, name);
      const network = isRecord(config.network_config) ? config.network_config : {};
      const settingsOut: Record<string, unknown> = {};
      let baseUrl = typeof network.base_url === "string" ? network.base_url : undefined;
      const timeouts: Record<string, number> = {};
      if (typeof network.default_request_timeout_in_seconds === "number") timeouts.firstByteMs = network.default_request_timeout_in_seconds * 1000;
      if (typeof network.stream_idle_timeout_in_seconds === "number") timeouts.streamIdleMs = network.stream_idle_timeout_in_seconds * 1000;
      if (Object.keys(timeouts).length > 0) settingsOut.timeouts = timeouts;
      const headers = isRecord(network.extra_headers) ? Object.fromEntries(Object.entries(network.extra_headers).map(([k, v]) => [k, String(v)])) : undefined;
      for (const key of Object.keys(network)) {
        if (!["base_url", "default_request_timeout_in_seconds", "stream_idle_timeout_in_seconds", "extra_headers"].includes(key)) {
          report.skip(`${path}.network_config.${key}`, key.startsWith("retry") || key === "max_retries" ? "retries are per routing rule in Switchyard (retry.maxAttempts with backoff)" : "no Switchyard provider setting of that name");
        }
      }
      for (const key of Object.keys(config)) {
        if (!["keys", "network_config", "custom_provider_config"].includes(key)) report.skip(`${path}.${key}`, key === "concurrency_and_buffer_size" ? "use a rate limit with `concurrent` on the provider" : "no Switchyard provider setting of that name");
      }
      const rawKeys = asArray(config.keys);
      const weights = rawKeys.map((k) => (isRecord(k) && typeof k.weight === "number" ? k.weight : 1));
      const scale = weights.every((w) => Number.isInteger(w)) ? 1 : 100;
      const keys: NonNullable<Section<"providers">[number]["keys"]> = [];
      rawKeys.forEach((key, i) => {
        const keyPath = `${path}.keys[${i}]`;
        if (!isRecord(key)) return report.skip(keyPath, "expected an object");
        const keyName = typeof key.name === "string" && key.name.trim() ? key.name.trim() : `key-${i + 1}`;
        const azure = isRecord(key.azure_key_config) ? key.azure_key_config : null;
        const bedrock = isRecord(key.bedrock_key_config) ? key.bedrock_key_config : null;
        const vertex = isRecord(key.vertex_key_config) ? key.vertex_key_config : null;
        if (azure) {
          const endpoint = envValue(azure.endpoint);
          if (endpoint && !baseUrl) baseUrl = endpoint;
          if (typeof azure.api_version === "string") settingsOut.api_version = azure.api_version;
        }
        if (bedrock) {
          if (typeof bedrock.region === "string") settingsOut.region = bedrock.region;
          for (const field of Object.keys(bedrock)) if (field !== "region") report.skip(`${keyPath}.bedrock_key_config.${field}`, "AWS credentials and roles come from the gateway's AWS environment for Bedrock");
        }
        if (vertex) {
          if (typeof vertex.project_id === "string") settingsOut.project_id = envValue(vertex.project_id);
          if (typeof vertex.region === "string") settingsOut.location = vertex.region;
          if (vertex.auth_credentials !== undefined) report.skip(`${keyPath}.vertex_key_config.auth_credentials`, "Google credentials come from the gateway's environment (application default credentials)");
        }
        const value = envValue(key.value);
        if (value === null) {
          report.skip(keyPath, `key "${keyName}" has no value (ambient cloud credentials); Switchyard needs the key's secret`);
          return;
        }
        if (!value.startsWith("${")) report.note(`${keyPath}: a literal secret in the file was imported as is (prefer env. references)`);
        const models = asArray(key.models).filter((m): m is string => typeof m === "string" && m !== "*");
        keys.push({ name: keyName, value, ...(weights[i] !== 1 || scale !== 1 ? { weight: Math.max(0, Math.round(weights[i]! * scale)) } : {}), ...(models.length > 0 ? { models } : {}) });
        for (const field of Object.keys(key)) {
          if (!["name", "value", "models", "weight", "azure_key_config", "bedrock_key_config", "vertex_key_config"].includes(field)) {
            report.skip(`${keyPath}.${field}`, field === "aliases" ? "per-key model aliases: use model_aliases or a routing rule" : "no Switchyard key setting of that name");
          }
        }
      });
      if (keys.length === 0 && (type === "ollama" || type === "vllm" || type === "openai-compatible")) keys.push({ name: "none", value: "unused" });
      providers.push({ name, type, ...(baseUrl ? { base_url: baseUrl } : {}), ...(headers ? { headers } : {}), ...(Object.keys(settingsOut).length > 0 ? { settings: settingsOut as Section<"providers">[number]["settings"] } : {}), ...(keys.length > 0 ? { keys } : {}) });
    }
  }

  // ── governance ──
  const governance = isRecord(source.governance) ? source.governance : {};
  for (const key of Object.keys(governance)) {
    if (!["customers", "teams", "budgets", "rate_limits", "virtual_keys", "model_configs", "routing_rules", "auth_config"].includes(key)) report.skip(`governance.${key}`, "not known to the importer");
  }
  if (governance.auth_config !== undefined) report.skip("governance.auth_config", "dashboard sign-in uses SWITCHYARD_ADMIN_EMAIL / _PASSWORD, invitations and OIDC; the gateway always requires a virtual key");

  const byId = <T extends Record<string, unknown>>(items: unknown[]) => new Map(items.filter(isRecord).filter((i) => typeof i.id === "string").map((i) => [i.id as string, i as T]));
  const budgetsById = byId(asArray(governance.budgets));
  const rateLimitsById = byId(asArray(governance.rate_limits));
  const usedBudgets = new Set<string>();
  const usedRateLimits = new Set<string>();

  const calendarKeys = new Set(asArray(governance.virtual_keys).filter(isRecord).filter((k) => k.calendar_aligned === true).map((k) => String(k.id)));
  const budgetOut = (id: string, path: string, calendar: boolean): BudgetOut | null => {
    const budget = budgetsById.get(id);
    if (!budget) {
      report.skip(path, `budget "${id}" is not defined in governance.budgets`);
      return null;
    }
    usedBudgets.add(id);
    const window = windowFrom(budget.reset_duration);
    if (window === null || typeof budget.max_limit !== "number") {
      report.skip(`governance.budgets[${id}]`, `reset_duration "${String(budget.reset_duration)}" has no Switchyard window (units m, h, d, w, M, Y; at least a minute)`);
      return null;
    }
    return { usd: budget.max_limit, window, alignment: calendar ? "calendar" : "rolling" };
  };
  const rateLimitsOut = (id: string, path: string): RateLimitOut[] => {
    const limit = rateLimitsById.get(id);
    if (!limit) {
      report.skip(path, `rate limit "${id}" is not defined in governance.rate_limits`);
      return [];
    }
    usedRateLimits.add(id);
    const out: RateLimitOut[] = [];
    for (const [count, duration, field] of [["request_max_limit", "request_reset_duration", "requests"], ["token_max_limit", "token_reset_duration", "tokens"]] as const) {
      if (typeof limit[count] !== "number") continue;
      const window = windowFrom(limit[duration]);
      if (window === null) report.skip(`governance.rate_limits[${id}].${duration}`, `"${String(limit[duration])}" has no Switchyard window (units m, h, d, w, M, Y)`);
      else out.push({ [field]: limit[count], window } as RateLimitOut);
    }
    return out;
  };
  /** Budgets that name their owner (team_id, virtual_key_id, …). */
  const ownedBudgets = (field: string, ownerId: string, calendar: boolean): BudgetOut[] =>
    [...budgetsById.entries()].filter(([, b]) => b[field] === ownerId).map(([id]) => budgetOut(id, `governance.budgets[${id}]`, calendar)).filter((b): b is BudgetOut => b !== null);

  const customerNames = new Map<string, string>();
  const customers: Section<"customers"> = [];
  asArray(governance.customers).forEach((c, i) => {
    if (!isRecord(c) || typeof c.id !== "string" || typeof c.name !== "string") return report.skip(`governance.customers[${i}]`, "needs id and name");
    customerNames.set(c.id, c.name);
    const budgets = [...(typeof c.budget_id === "string" ? [budgetOut(c.budget_id, `governance.customers[${i}].budget_id`, false)] : []), ...ownedBudgets("customer_id", c.id, false)].filter((b): b is BudgetOut => b !== null);
    const rateLimits = typeof c.rate_limit_id === "string" ? rateLimitsOut(c.rate_limit_id, `governance.customers[${i}].rate_limit_id`) : [];
    customers.push({ name: c.name, ...(budgets.length > 0 ? { budgets } : {}), ...(rateLimits.length > 0 ? { rate_limits: rateLimits } : {}) });
  });

  const teamNames = new Map<string, string>();
  const teams: Section<"teams"> = [];
  asArray(governance.teams).forEach((t, i) => {
    if (!isRecord(t) || typeof t.id !== "string" || typeof t.name !== "string") return report.skip(`governance.teams[${i}]`, "needs id and name");
    teamNames.set(t.id, t.name);
    const customer = typeof t.customer_id === "string" ? customerNames.get(t.customer_id) : undefined;
    if (typeof t.customer_id === "string" && !customer) report.skip(`governance.teams[${i}].customer_id`, `customer "${t.customer_id}" is not defined`);
    const budgets = [...(typeof t.budget_id === "string" ? [budgetOut(t.budget_id, `governance.teams[${i}].budget_id`, false)] : []), ...ownedBudgets("team_id", t.id, false)].filter((b): b is BudgetOut => b !== null);
    const rateLimits = typeof t.rate_limit_id === "string" ? rateLimitsOut(t.rate_limit_id, `governance.teams[${i}].rate_limit_id`) : [];
    teams.push({ name: t.name, ...(customer ? { customer } : {}), ...(budgets.length > 0 ? { budgets } : {}), ...(rateLimits.length > 0 ? { rate_limits: rateLimits } : {}) });
  });

  const keyNames = new Map<string, string>();
  const virtualKeys: Section<"virtual_keys"> = [];
  asArray(governance.virtual_keys).forEach((k, i) => {
    const path = `governance.virtual_keys[${i}]`;
    if (!isRecord(k) || typeof k.id !== "string" || typeof k.name !== "string") return report.skip(path, "needs id and name");
    keyNames.set(k.id, k.name);
    const models: string[] = [];
    const allowedProviders: string[] = [];
    asArray(k.provider_configs).forEach((pc, j) => {
      const pcPath = `${path}.provider_configs[${j}]`;
      if (!isRecord(pc) || typeof pc.provider !== "string") return report.skip(pcPath, "needs provider");
      const provider = providerNames.get(pc.provider) ?? providerNameFrom(pc.provider);
      const allowed = asArray(pc.allowed_models).filter((m): m is string => typeof m === "string");
      if (allowed.length === 0) report.note(`${pcPath}: allowed_models is empty (deny all in Bifrost): no models of ${provider} were granted`);
      for (const model of allowed) models.push(model === "*" ? `${provider}/*` : `${provider}/${model}`);
      if (allowed.length > 0) allowedProviders.push(provider);
      const keyIds = asArray(pc.key_ids ?? pc.allowed_keys);
      if (keyIds.length > 0 && !(keyIds.length === 1 && keyIds[0] === "*")) report.skip(`${pcPath}.key_ids`, "Switchyard keys cannot be pinned to particular provider keys; a routing rule target can name one (targets[].key)");
      if (typeof pc.weight === "number" && asArray(k.provider_configs).length > 1) report.skip(`${pcPath}.weight`, "weights between providers belong to a routing rule in Switchyard (scope key) with weighted targets");
      if (pc.rate_limit_id !== undefined || pc.budget_id !== undefined) report.skip(`${pcPath}`, "limits per key and provider: Switchyard limits a key, or a provider, not the pair");
    });
    const budgets = ownedBudgets("virtual_key_id", k.id, calendarKeys.has(k.id));
    const rateLimits = typeof k.rate_limit_id === "string" ? rateLimitsOut(k.rate_limit_id, `${path}.rate_limit_id`) : [];
    const team = typeof k.team_id === "string" ? teamNames.get(k.team_id) : undefined;
    const customer = typeof k.customer_id === "string" ? customerNames.get(k.customer_id) : undefined;
    if (k.value !== undefined) report.skip(`${path}.value`, "Bifrost key values (sk-bf-…) are not Switchyard keys (sk-sy-…); a new secret is generated on apply and printed once — hand it to the key's users");
    virtualKeys.push({
      name: k.name,
      ...(team ? { team } : {}),
      ...(customer ? { customer } : {}),
      models: [...new Set(models)],
      ...(allowedProviders.length > 0 ? { providers: [...new Set(allowedProviders)] } : {}),
      ...(k.is_active === false ? { active: false } : {}),
      ...(budgets.length > 0 ? { budgets } : {}),
      ...(rateLimits.length > 0 ? { rate_limits: rateLimits } : {}),
    });
  });

  const modelLimits: Section<"models"> = [];
  asArray(governance.model_configs).forEach((mc, i) => {
    const path = `governance.model_configs[${i}]`;
    if (!isRecord(mc) || typeof mc.model_name !== "string") return report.skip(path, "needs model_name");
    if (mc.scope === "virtual_key") return report.skip(path, "model limits scoped to one virtual key: Switchyard limits a model for all traffic, or a key for all models");
    const budgets = [...(typeof mc.budget_id === "string" ? [budgetOut(mc.budget_id, `${path}.budget_id`, false)] : []), ...(typeof mc.id === "string" ? ownedBudgets("model_config_id", mc.id, false) : [])].filter((b): b is BudgetOut => b !== null);
    const limitIds = [...asArray(mc.rate_limit_ids), ...(typeof mc.rate_limit_id === "string" ? [mc.rate_limit_id] : [])].filter((id): id is string => typeof id === "string");
    const rateLimits = limitIds.flatMap((id) => rateLimitsOut(id, `${path}.rate_limit_ids`));
    const provider = typeof mc.provider === "string" ? (providerNames.get(mc.provider) ?? providerNameFrom(mc.provider)) : null;
    if (mc.model_name === "*") {
      const target = provider ? providers.find((p) => p.name === provider) : undefined;
      if (!target) return report.skip(path, provider ? `provider "${provider}" is not among the imported providers` : `model "*" for every provider: a global limit has no Switchyard owner`);
      if (budgets.length > 0) target.budgets = [...(target.budgets ?? []), ...budgets];
      if (rateLimits.length > 0) target.rate_limits = [...(target.rate_limits ?? []), ...rateLimits];
      return;
    }
    const model = provider ? `${provider}/${mc.model_name}` : mc.model_name;
    modelLimits.push({ model, ...(budgets.length > 0 ? { budgets } : {}), ...(rateLimits.length > 0 ? { rate_limits: rateLimits } : {}) });
  });

  const rules: Section<"routing_rules"> = [];
  asArray(governance.routing_rules).forEach((r, i) => {
    const path = `governance.routing_rules[${i}]`;
    if (!isRecord(r) || typeof r.name !== "string") return report.skip(path, "needs name");
    const when = typeof r.cel_expression === "string" && r.cel_expression.trim() !== "" ? translateCel(r.cel_expression) : undefined;
    if (when !== undefined) {
      const invalid = validateCondition(when);
      if (invalid) return report.skip(path, `rule "${r.name}": the condition does not compile in Switchyard's CEL environment (${invalid.message}); variables are model, provider, request_type, headers, params, key, team, customer, metadata, tags, budget_used, tokens_used, requests_used`);
    }
    const targets: Section<"routing_rules">[number]["targets"] = [];
    for (const [j, t] of asArray(r.targets).entries()) {
      if (!isRecord(t) || typeof t.provider !== "string" || typeof t.model !== "string") {
        return report.skip(`${path}.targets[${j}]`, `rule "${r.name}" not imported: a Switchyard target names both provider and model (Bifrost's "keep the request's provider / model" has no equivalent)`);
      }
      targets.push({ provider: providerNames.get(t.provider) ?? providerNameFrom(t.provider), model: t.model, weight: Math.max(0, Math.round((typeof t.weight === "number" ? t.weight : 1) * 100)), ...(typeof t.key_id === "string" ? { key: t.key_id } : {}) });
    }
    if (targets.length === 0) return report.skip(path, `rule "${r.name}" has no targets`);
    const fallbacks = asArray(r.fallbacks).flatMap((f) => {
      if (typeof f !== "string") return [];
      const [p, ...rest] = f.split("/");
      const model = rest.join("/") || targets[0]!.model;
      if (rest.length === 0) report.note(`${path}: fallback "${f}" names only a provider; it uses the first target's model (${model})`);
      return [{ provider: providerNames.get(p!) ?? providerNameFrom(p!), model }];
    });
    const scope = r.scope === "team" || r.scope === "customer" ? r.scope : r.scope === "virtual_key" ? "key" : undefined;
    const scopeName = typeof r.scope_id === "string" ? (scope === "team" ? teamNames.get(r.scope_id) : scope === "customer" ? customerNames.get(r.scope_id) : scope === "key" ? keyNames.get(r.scope_id) : undefined) : undefined;
    if (scope && !scopeName) return report.skip(path, `rule "${r.name}": its ${String(r.scope)} "${String(r.scope_id)}" is not defined in the file`);
    if (r.chain_rule === true) report.skip(`${path}.chain_rule`, "Switchyard stops at the first matching rule");
    rules.push({
      name: r.name,
      ...(when !== undefined ? { when } : {}),
      // Bifrost runs lower numbers first; Switchyard runs higher priorities first.
      ...(typeof r.priority === "number" ? { priority: -r.priority } : {}),
      ...(r.enabled === false ? { enabled: false } : {}),
      ...(scope ? { scope, scope_name: scopeName } : {}),
      targets,
      ...(fallbacks.length > 0 ? { fallbacks } : {}),
    });
  });

  for (const id of budgetsById.keys()) if (!usedBudgets.has(id)) report.skip(`governance.budgets[${id}]`, budgetsById.get(id)!.provider_config_id !== undefined ? "a budget per key and provider: Switchyard budgets a key, or a provider, not the pair" : "no owner: not referenced by a customer, team, virtual key or model config");
  for (const id of rateLimitsById.keys()) if (!usedRateLimits.has(id)) report.skip(`governance.rate_limits[${id}]`, "not referenced by a customer, team, virtual key or model config");

  if (providers.length > 0) document.providers = providers;
  if (customers.length > 0) document.customers = customers;
  if (teams.length > 0) document.teams = teams;
  if (virtualKeys.length > 0) document.virtual_keys = virtualKeys;
  if (modelLimits.length > 0) document.models = modelLimits;
  if (rules.length > 0) document.routing_rules = rules;
  if (Object.keys(settings).length > 0) document.settings = settings;
  return { document: dropUndefined(document), notMapped: report.notMapped, notes: report.notes };
}
