// `npm run config -- import litellm config.yaml` (issue 10): a LiteLLM proxy config.yaml as a
// Switchyard config document. Field names and meanings follow LiteLLM's public documentation
// of config.yaml (model_list / litellm_params / model_info, router_settings,
// litellm_settings, general_settings, environment_variables).
//
//   model_list deployments      → providers (one per LiteLLM provider prefix and api_base),
//                                  their keys (os.environ/X → ${X}) and models
//   model_name with 1 deployment → model_aliases (model_name → provider/model)
//   model_name with several      → a routing rule `model == "<name>"` with weighted targets
//   fallbacks                    → that rule's fallback chain
//   rpm / tpm                    → model-level rate limits (per minute)
//   model_info costs per token   → pricing overrides (per million tokens)
//   cache_params ttl / threshold → settings (cache_default_ttl_seconds, cache_similarity_threshold)
// Everything else is reported with the reason it has no Switchyard equivalent.
import { parse } from "yaml";
import type { ProviderType } from "../../validation/provider-types";
import type { ConfigDocumentInput } from "../../validation/config";
import { asArray, ImportCollector, isRecord, providerNameFrom, type ImportResult } from "./import-report";

type Section<K extends keyof ConfigDocumentInput> = NonNullable<ConfigDocumentInput[K]>;
type ProviderOut = Section<"providers">[number];
type RuleOut = Section<"routing_rules">[number];

/** LiteLLM provider prefixes → Switchyard adapter ids. */
const PREFIX_TYPES: Readonly<Record<string, ProviderType>> = {
  openai: "openai",
  "text-completion-openai": "openai",
  azure: "azure-openai",
  azure_ai: "azure-openai",
  anthropic: "anthropic",
  gemini: "gemini",
  vertex_ai: "vertex",
  vertex_ai_beta: "vertex",
  bedrock: "bedrock",
  mistral: "mistral",
  codestral: "mistral",
  groq: "groq",
  deepseek: "deepseek",
  xai: "xai",
  together_ai: "together",
  openrouter: "openrouter",
  cohere: "cohere",
  cohere_chat: "cohere",
  ollama: "ollama",
  ollama_chat: "ollama",
  hosted_vllm: "vllm",
  vllm: "vllm",
};

const KEYLESS_TYPES: ReadonlySet<ProviderType> = new Set(["ollama", "vllm", "openai-compatible"]);

const KNOWN_PARAMS = ["model", "api_key", "api_base", "api_version", "rpm", "tpm", "weight", "timeout", "stream_timeout", "aws_region_name", "vertex_project", "vertex_location", "aws_access_key_id", "aws_secret_access_key"];

interface Deployment {
  readonly group: string;
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  readonly path: string;
}

/** `os.environ/NAME` → `${NAME}`; anything else is a literal. */
function secretFrom(value: unknown): { value: string; env: string | null } | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const env = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value.trim())?.[1] ?? null;
  return env ? { value: `\${${env}}`, env } : { value: value.replaceAll("${", "$${"), env: null };
}

function typeOf(prefix: string | null, apiBase: string | null): ProviderType {
  const mapped = prefix === null ? "openai" : PREFIX_TYPES[prefix];
  // `openai/` with a non-OpenAI api_base is LiteLLM's way to say "an OpenAI-compatible server".
  if (mapped === "openai" && apiBase && !/^https:\/\/api\.openai\.com/.test(apiBase)) return "openai-compatible";
  return mapped ?? "openai-compatible";
}

export function importLiteLLM(text: string): ImportResult {
  const report = new ImportCollector();
  const source: unknown = parse(text);
  if (!isRecord(source)) throw new Error("a LiteLLM config.yaml must be a mapping with a model_list");
  report.unknownKeys("", source, ["model_list", "router_settings", "litellm_settings", "general_settings", "environment_variables"]);

  const providers = new Map<string, ProviderOut & { keys: NonNullable<ProviderOut["keys"]>; models: string[] }>();
  const providerByIdentity = new Map<string, string>();
  const deployments: Deployment[] = [];
  const pricing: Section<"pricing"> = [];
  const modelLimits: Section<"models"> = [];

  asArray(source.model_list).forEach((entry, i) => {
    const path = `model_list[${i}]`;
    if (!isRecord(entry) || typeof entry.model_name !== "string" || !isRecord(entry.litellm_params) || typeof entry.litellm_params.model !== "string") {
      report.skip(path, "needs model_name and litellm_params.model");
      return;
    }
    report.unknownKeys(path, entry, ["model_name", "litellm_params", "model_info"]);
    const params = entry.litellm_params;
    for (const key of Object.keys(params)) {
      if (!KNOWN_PARAMS.includes(key)) report.skip(`${path}.litellm_params.${key}`, "a default request parameter or client option; Switchyard passes the client's parameters through and does not inject defaults");
    }
    const full = params.model as string;
    const slash = full.indexOf("/");
    const prefix = slash > 0 ? full.slice(0, slash) : null;
    const model = slash > 0 ? full.slice(slash + 1) : full;
    if (prefix !== null && !(prefix in PREFIX_TYPES)) {
      report.note(`${path}: LiteLLM provider "${prefix}" has no Switchyard adapter; imported as an OpenAI-compatible server`);
    }
    const apiBase = typeof params.api_base === "string" ? params.api_base.replace(/\/+$/, "") : null;
    const type = typeOf(prefix, apiBase);
    const identity = `${type}|${apiBase ?? ""}|${typeof params.api_version === "string" ? params.api_version : ""}`;
    let name = providerByIdentity.get(identity);
    if (!name) {
      const base = providerNameFrom(prefix ?? "openai");
      name = base;
      for (let n = 2; providers.has(name); n++) name = `${base}-${n}`;
      providerByIdentity.set(identity, name);
      const settings: Record<string, unknown> = {};
      if (typeof params.api_version === "string") settings.api_version = params.api_version;
      if (typeof params.aws_region_name === "string") settings.region = params.aws_region_name;
      if (typeof params.vertex_project === "string") settings.project_id = params.vertex_project;
      if (typeof params.vertex_location === "string") settings.location = params.vertex_location;
      const timeouts: Record<string, number> = {};
      if (typeof params.timeout === "number") timeouts.firstByteMs = Math.round(params.timeout * 1000);
      if (typeof params.stream_timeout === "number") timeouts.streamIdleMs = Math.round(params.stream_timeout * 1000);
      if (Object.keys(timeouts).length > 0) {
        settings.timeouts = timeouts;
        report.note(`${path}: timeout → time to first byte, stream_timeout → stream idle timeout (Switchyard has no total deadline, so long streams are not cut)`);
      }
      providers.set(name, { name, type, ...(apiBase ? { base_url: apiBase } : {}), ...(Object.keys(settings).length > 0 ? { settings: settings as ProviderOut["settings"] } : {}), keys: [], models: [] });
    }
    const provider = providers.get(name)!;
    if (!provider.models.includes(model) && model !== "*") provider.models.push(model);

    // Keys: one per distinct secret, named after its variable.
    const secret = secretFrom(params.api_key);
    if (secret) {
      if (!provider.keys.some((k) => k.value === secret.value)) {
        const keyName = secret.env ? secret.env.toLowerCase() : `key-${provider.keys.length + 1}`;
        provider.keys.push({ name: keyName, value: secret.value });
        if (!secret.env) report.note(`${path}: the api_key is a literal secret in the file; it was imported as is (prefer os.environ/ references)`);
      }
    }
    for (const credential of ["aws_access_key_id", "aws_secret_access_key"] as const) {
      if (params[credential] !== undefined) report.skip(`${path}.litellm_params.${credential}`, "AWS credentials are taken from the gateway's AWS environment for Bedrock, not from the config file");
    }

    const weight = typeof params.weight === "number" && params.weight > 0 ? params.weight : 1;
    deployments.push({ group: entry.model_name, provider: name, model, weight, path });

    const target = `${name}/${model}`;
    const limits: Array<{ requests?: number; tokens?: number; window: string }> = [];
    if (typeof params.rpm === "number") limits.push({ requests: params.rpm, window: "1m" });
    if (typeof params.tpm === "number") limits.push({ tokens: params.tpm, window: "1m" });
    if (limits.length > 0 && !modelLimits.some((m) => m.model === target)) modelLimits.push({ model: target, rate_limits: limits });

    if (isRecord(entry.model_info)) {
      const info = entry.model_info;
      const input = info.input_cost_per_token;
      const output = info.output_cost_per_token;
      if ((typeof input === "number" || typeof output === "number") && !pricing.some((p) => p.model === target)) {
        pricing.push({ model: target, input_per_mtok: round((typeof input === "number" ? input : 0) * 1e6), output_per_mtok: round((typeof output === "number" ? output : 0) * 1e6) });
      }
      report.unknownKeys(`${path}.model_info`, info, ["input_cost_per_token", "output_cost_per_token"], "model metadata Switchyard does not use (its own catalog and price table describe models)");
    }
  });

  for (const provider of providers.values()) {
    if (provider.keys.length === 0) {
      if (KEYLESS_TYPES.has(provider.type as ProviderType)) provider.keys.push({ name: "none", value: "unused" });
      else report.note(`provider "${provider.name}" has no api_key in the file: add one under Providers before routing to it`);
    }
  }

  // Model groups: one deployment → an alias; several → a weighted rule.
  const groups = new Map<string, Deployment[]>();
  for (const d of deployments) groups.set(d.group, [...(groups.get(d.group) ?? []), d]);
  const aliases: Record<string, string> = {};
  const rules = new Map<string, RuleOut>();
  const ruleFor = (group: string): RuleOut => {
    let rule = rules.get(group);
    if (!rule) {
      const members = groups.get(group) ?? [];
      rule = {
        name: `litellm ${group}`.slice(0, 128),
        description: `Imported from LiteLLM model group "${group}"`,
        when: `model == ${JSON.stringify(group)}`,
        targets: members.map((d) => ({ provider: d.provider, model: d.model, weight: Math.max(1, Math.round(d.weight * 100)) })),
      };
      rules.set(group, rule);
    }
    return rule;
  };
  for (const [group, members] of groups) {
    if (members.length > 1) ruleFor(group);
  }

  const router = isRecord(source.router_settings) ? source.router_settings : {};
  const litellmSettings = isRecord(source.litellm_settings) ? source.litellm_settings : {};
  const fallbackSources: Array<[string, unknown]> = [["router_settings.fallbacks", router.fallbacks], ["litellm_settings.fallbacks", litellmSettings.fallbacks]];
  for (const [path, list] of fallbackSources) {
    asArray(list).forEach((item, i) => {
      if (!isRecord(item)) return report.skip(`${path}[${i}]`, "expected { model_group: [fallback groups] }");
      for (const [group, chain] of Object.entries(item)) {
        if (!groups.has(group)) {
          report.skip(`${path}[${i}].${group}`, `no model_list entry named "${group}"`);
          continue;
        }
        const rule = ruleFor(group);
        for (const fallback of asArray(chain)) {
          const first = typeof fallback === "string" ? groups.get(fallback)?.[0] : undefined;
          if (!first) {
            report.skip(`${path}[${i}].${group}`, `fallback "${String(fallback)}" is not a model_list entry`);
            continue;
          }
          rule.fallbacks = [...(rule.fallbacks ?? []), { provider: first.provider, model: first.model }];
          if ((groups.get(String(fallback))?.length ?? 0) > 1) report.note(`${path}: fallback group "${String(fallback)}" has several deployments; the fallback uses its first (${first.provider}/${first.model})`);
        }
      }
    });
  }
  for (const [group, members] of groups) {
    if (rules.has(group)) continue;
    const only = members[0]!;
    if (group !== `${only.provider}/${only.model}`) aliases[group] = `${only.provider}/${only.model}`;
  }

  // router_settings
  for (const [key, value] of Object.entries(router)) {
    if (key === "fallbacks") continue;
    if (key === "routing_strategy") {
      if (value !== "simple-shuffle") report.skip("router_settings.routing_strategy", `"${String(value)}": Switchyard routes by weight with fallbacks, retries and circuit breakers; latency-, usage- and cost-based strategies are not available`);
      continue;
    }
    if (key === "model_group_alias" && isRecord(value)) {
      for (const [alias, group] of Object.entries(value)) {
        const first = typeof group === "string" ? groups.get(group)?.[0] : undefined;
        if (first) aliases[alias] = `${first.provider}/${first.model}`;
        else report.skip(`router_settings.model_group_alias.${alias}`, `"${String(group)}" is not a model_list entry`);
      }
      continue;
    }
    const reasons: Record<string, string> = {
      num_retries: "retries are per routing rule in Switchyard (retry.maxAttempts, default 4) and apply to every imported rule",
      timeout: "per-provider timeouts live in each provider's settings.timeouts",
      allowed_fails: "Switchyard opens a circuit per provider and model after repeated failures (built in)",
      cooldown_time: "provider keys cool down after 401/403/429 automatically (honouring retry-after)",
      context_window_fallbacks: "Switchyard falls back on errors, not on context length",
      content_policy_fallbacks: "Switchyard falls back on errors, not on content-policy refusals",
      redis_host: "shared state uses REDIS_URL",
      redis_port: "shared state uses REDIS_URL",
      redis_password: "shared state uses REDIS_URL",
    };
    report.skip(`router_settings.${key}`, reasons[key] ?? "not known to the importer");
  }

  // litellm_settings
  const settings: NonNullable<ConfigDocumentInput["settings"]> = {};
  for (const [key, value] of Object.entries(litellmSettings)) {
    if (key === "fallbacks") continue;
    if (key === "cache") {
      report.skip("litellm_settings.cache", "caching is switched on per deployment with SWITCHYARD_CACHE_MODE=exact (or semantic) or per team / key settings.cache; the TTL and threshold were imported as settings");
      continue;
    }
    if (key === "cache_params" && isRecord(value)) {
      if (typeof value.ttl === "number") settings.cache_default_ttl_seconds = Math.round(value.ttl);
      if (typeof value.similarity_threshold === "number") settings.cache_similarity_threshold = value.similarity_threshold;
      for (const field of Object.keys(value)) {
        if (field === "ttl" || field === "similarity_threshold") continue;
        report.skip(`litellm_settings.cache_params.${field}`, field === "type" ? "Switchyard keeps exact entries in memory and in Redis (REDIS_URL), vectors in pgvector or in memory" : field.startsWith("redis") || field === "host" || field === "port" || field === "password" ? "shared state uses REDIS_URL" : "no Switchyard cache option of that name");
      }
      continue;
    }
    const reasons: Record<string, string> = {
      max_budget: "a proxy-wide budget: Switchyard budgets belong to a key, team, customer, provider or model; set one on the teams or keys that should share it",
      budget_duration: "belongs to max_budget (see there)",
      drop_params: "always on: Switchyard drops or adapts what a provider does not accept and records each change on the log",
      success_callback: "use GET /metrics, OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT) or the logs API",
      failure_callback: "use GET /metrics, OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT) or the logs API",
      callbacks: "use GET /metrics, OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT) or the logs API",
      request_timeout: "per-provider timeouts live in each provider's settings.timeouts",
      num_retries: "retries are per routing rule in Switchyard (retry.maxAttempts)",
      set_verbose: "the gateway logs to stderr; request detail is in the request log",
      json_logs: "the gateway logs to stderr; request detail is in the request log",
    };
    report.skip(`litellm_settings.${key}`, reasons[key] ?? "not known to the importer");
  }

  // general_settings
  const general = isRecord(source.general_settings) ? source.general_settings : {};
  for (const key of Object.keys(general)) {
    const reasons: Record<string, string> = {
      master_key: "the admin credential is SWITCHYARD_ADMIN_TOKEN (environment), and keys for clients are virtual keys",
      database_url: "the database is DATABASE_URL (or the embedded PostgreSQL)",
      max_budget: "a proxy-wide budget: Switchyard budgets belong to a key, team, customer, provider or model",
      budget_duration: "belongs to max_budget (see there)",
      alerting: "budget alerts are a webhook: SWITCHYARD_ALERT_WEBHOOK_URL or settings.alert_webhook_url",
    };
    report.skip(`general_settings.${key}`, reasons[key] ?? "not known to the importer");
  }
  if (isRecord(source.environment_variables)) {
    for (const key of Object.keys(source.environment_variables)) report.skip(`environment_variables.${key}`, "set it in the gateway's environment; the config file reads ${VAR} from there");
  }

  const document: ConfigDocumentInput = {};
  if (providers.size > 0) {
    document.providers = [...providers.values()].map(({ models, ...p }) => ({
      ...p,
      ...(models.length > 0 ? { models } : {}),
      ...(p.keys.length > 0 ? {} : { keys: undefined }),
    }));
  }
  if (pricing.length > 0) document.pricing = pricing;
  if (modelLimits.length > 0) document.models = modelLimits;
  if (rules.size > 0) document.routing_rules = [...rules.values()];
  if (Object.keys(aliases).length > 0) document.model_aliases = aliases;
  if (Object.keys(settings).length > 0) document.settings = settings;
  return { document: dropUndefined(document), notMapped: report.notMapped, notes: report.notes };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The document as plain data (no undefined members), so it serializes and validates cleanly. */
export function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
