// Writes the database's configuration as a config file (PRODUCT §9.2) that `apply` accepts:
// same shape, entities ordered by name so that exports diff cleanly, defaults left out.
// Secrets never leave: a provider key is written as the `${VAR}` it was applied from, or
// as a `${SWITCHYARD_KEY_<PROVIDER>_<NAME>}` placeholder to fill in; virtual keys without value.
import { MODEL_ALIASES_SETTING } from "../validation/model-aliases";
import { Document, isMap, isPair, isScalar, isSeq, visit } from "yaml";
import type { Prisma, PrismaClient } from "../db/client";
import { nominalWindowMs, isWindow } from "../durations/windows";
import type { ConfigDocumentInput } from "../validation/config";
import { DEFAULT_ALERT_THRESHOLDS } from "../validation/limits";
import { CONFIG_SETTING_KEYS } from "../validation/settings";
import { decryptSecret } from "../crypto/secret-box";
import { providerKeyPlaceholderVariable } from "./env-substitution";

type Section<K extends keyof ConfigDocumentInput> = NonNullable<ConfigDocumentInput[K]>;
type BudgetOut = NonNullable<Section<"teams">[number]["budgets"]>[number];
type JsonObject = NonNullable<Section<"teams">[number]["metadata"]>;
type RateLimitOut = NonNullable<Section<"teams">[number]["rate_limits"]>[number];

interface Placeholder {
  readonly path: readonly (string | number)[];
  readonly variable: string;
}

const SECRETS_HEADER = [
  " Switchyard configuration (npm run config -- export --include-secrets).",
  " CONTAINS PROVIDER KEY SECRETS IN CLEAR: store it like the master key, never commit it.",
  " Apply with: npm run config -- apply FILE. ${VAR} is read from the environment; write $${ for a literal ${.",
].join("\n");

const HEADER = [
  " Switchyard configuration (npm run config -- export).",
  " Apply with: npm run config -- apply FILE. ${VAR} is read from the environment; write $${ for a literal ${.",
  " Provider key secrets are never exported: each key's value is the variable it was applied from,",
  " or a SWITCHYARD_KEY_* placeholder to set before applying.",
].join("\n");

export interface ExportOptions {
  /**
   * Write provider key secrets in clear (decrypted with the master key) instead of their
   * `${VAR}` references: a file for a migration or a backup, to be kept like the master key.
   */
  readonly includeSecrets?: boolean;
}

export async function exportConfig(prisma: PrismaClient, options: ExportOptions = {}): Promise<string> {
  const { document, placeholders } = await buildExport(prisma, options);
  // No anchors/aliases for values that happen to share an array (alert thresholds).
  const yaml = new Document(document, { aliasDuplicateObjects: false });
  yaml.commentBefore = options.includeSecrets ? SECRETS_HEADER : HEADER;
  useFlowStyle(yaml);
  for (const placeholder of placeholders) {
    const node = yaml.getIn(placeholder.path, true);
    if (isScalar(node)) node.comment = ` secret not exported: set ${placeholder.variable}`;
  }
  return yaml.toString({ lineWidth: 0 });
}

// Short lists and small entries on one line, as in the PRODUCT example:
// `- { usd: 5, window: 1d }`, `models: ["*"]`. Keys stay in block style for their comments.
const FLOW_ENTRY_LISTS = new Set(["budgets", "rate_limits", "targets", "fallbacks", "pricing"]);
const FLOW_SCALAR_LISTS = new Set(["models", "request_types", "providers", "tags", "alert_thresholds"]);

function useFlowStyle(yaml: Document): void {
  visit(yaml, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isSeq(pair.value)) return;
      const name = String(pair.key.value);
      if (FLOW_SCALAR_LISTS.has(name) && pair.value.items.every(isScalar)) pair.value.flow = true;
      if (FLOW_ENTRY_LISTS.has(name)) {
        for (const item of pair.value.items) if (isMap(item)) item.flow = true;
      }
    },
  });
}

async function buildExport(prisma: PrismaClient, options: ExportOptions): Promise<{ document: ConfigDocumentInput; placeholders: Placeholder[] }> {
  const [providers, pricing, customers, teams, virtualKeys, rules, budgets, rateLimits] = await Promise.all([
    prisma.provider.findMany({ orderBy: { name: "asc" }, include: { keys: { orderBy: { name: "asc" } } } }),
    prisma.modelPricing.findMany({ orderBy: { model: "asc" } }),
    prisma.customer.findMany({ orderBy: { name: "asc" } }),
    prisma.team.findMany({ orderBy: { name: "asc" }, include: { customer: { select: { name: true } } } }),
    prisma.virtualKey.findMany({
      orderBy: { name: "asc" },
      include: { team: { select: { name: true } }, customer: { select: { name: true } }, user: { select: { email: true } } },
    }),
    prisma.routingRule.findMany({ orderBy: { name: "asc" }, include: { targets: { orderBy: { position: "asc" } } } }),
    prisma.budget.findMany(),
    prisma.rateLimit.findMany(),
  ]);
  const aliasSetting = await prisma.setting.findUnique({ where: { key: MODEL_ALIASES_SETTING } });
  const settingRows = await prisma.setting.findMany({ where: { key: { in: Object.values(CONFIG_SETTING_KEYS) } } });
  const limitsOf = limitIndex(budgets, rateLimits);
  const placeholders: Placeholder[] = [];

  const document: ConfigDocumentInput = {};
  if (providers.length > 0) {
    document.providers = providers.map((p, i) => ({
      name: p.name,
      type: p.type as Section<"providers">[number]["type"],
      ...optional("base_url", p.baseUrl ?? undefined),
      ...nonEmpty("request_types", p.requestTypes as Section<"providers">[number]["request_types"]),
      ...nonEmpty("models", p.models),
      ...nonEmptyObject("headers", escapeJson(p.headers) as Record<string, string>),
      ...nonEmptyObject("settings", escapeJson(p.settings) as JsonObject),
      ...(p.enabled ? {} : { enabled: false }),
      ...(p.captureBodies ? { capture_bodies: true } : {}),
      ...nonEmpty(
        "keys",
        p.keys.map((k, j) => {
          // A literal secret is escaped like any other text: "${" in a key must not become a reference.
          let value = options.includeSecrets ? escape(decryptSecret(k.secretCiphertext)) : k.secretRef;
          if (value === null) {
            const variable = providerKeyPlaceholderVariable(p.name, k.name);
            value = `\${${variable}}`;
            placeholders.push({ path: ["providers", i, "keys", j, "value"], variable });
          }
          return {
            name: escape(k.name),
            value,
            ...(k.weight === 1 ? {} : { weight: k.weight }),
            ...nonEmpty("models", k.models.map(escape)),
            ...(k.enabled ? {} : { enabled: false }),
          };
        }),
      ),
      ...limitsOf("provider", p.id),
    }));
  }
  if (pricing.length > 0) {
    document.pricing = pricing.map((row) => ({
      model: escape(row.model),
      input_per_mtok: row.inputPerMTok.toNumber(),
      output_per_mtok: row.outputPerMTok.toNumber(),
      ...optional("cache_read_per_mtok", row.cacheReadPerMTok?.toNumber()),
      ...optional("cache_write_per_mtok", row.cacheWritePerMTok?.toNumber()),
      ...optional("reasoning_per_mtok", row.reasoningPerMTok?.toNumber()),
    }));
  }
  if (customers.length > 0) {
    document.customers = customers.map((c) => ({
      name: escape(c.name),
      ...optional("external_id", c.externalId === null ? undefined : escape(c.externalId)),
      ...nonEmptyObject("metadata", escapeJson(c.metadata) as JsonObject),
      ...limitsOf("customer", c.id),
    }));
  }
  if (teams.length > 0) {
    document.teams = teams.map((t) => ({
      name: escape(t.name),
      ...optional("customer", t.customer ? escape(t.customer.name) : undefined),
      ...nonEmptyObject("metadata", escapeJson(t.metadata) as JsonObject),
      ...nonEmptyObject("settings", escapeJson(t.settings) as NonNullable<Section<"teams">[number]["settings"]>),
      ...limitsOf("team", t.id),
    }));
  }
  if (virtualKeys.length > 0) {
    document.virtual_keys = virtualKeys.map((k) => ({
      name: escape(k.name),
      ...optional("team", k.team ? escape(k.team.name) : undefined),
      ...optional("customer", k.customer ? escape(k.customer.name) : undefined),
      ...optional("user", k.user?.email),
      models: k.allowedModels.map(escape),
      ...nonEmpty("providers", k.allowedProviders.map(escape)),
      ...optional("expires_at", k.expiresAt?.toISOString()),
      ...(k.active ? {} : { active: false }),
      ...nonEmpty("tags", k.tags.map(escape)),
      ...nonEmptyObject("metadata", escapeJson(k.metadata) as JsonObject),
      ...nonEmptyObject("settings", escapeJson(k.settings) as NonNullable<Section<"virtual_keys">[number]["settings"]>),
      ...limitsOf("virtual_key", k.id),
    }));
  }
  const modelNames = [...new Set([...budgets, ...rateLimits].filter((r) => r.entityType === "model").map((r) => r.entityId))].sort();
  if (modelNames.length > 0) {
    document.models = modelNames.map((model) => ({ model: escape(model), ...limitsOf("model", model) }));
  }
  if (rules.length > 0) {
    const scopeNames = new Map<string, string>([
      ...customers.map((c) => [`customer|${c.id}`, c.name] as const),
      ...teams.map((t) => [`team|${t.id}`, t.name] as const),
      ...virtualKeys.map((k) => [`key|${k.id}`, k.name] as const),
    ]);
    document.routing_rules = rules.map((r) => {
      const scopeName = r.scopeId === null ? undefined : scopeNames.get(`${r.scope}|${r.scopeId}`);
      const targets = r.targets.filter((t) => t.kind === "target");
      const fallbacks = r.targets.filter((t) => t.kind === "fallback");
      return {
        name: escape(r.name),
        ...(r.description === "" ? {} : { description: escape(r.description) }),
        ...(r.condition === "" ? {} : { when: escape(r.condition) }),
        ...(r.scope === "global" ? {} : { scope: r.scope }),
        ...optional("scope_name", scopeName === undefined ? undefined : escape(scopeName)),
        ...(r.priority === 0 ? {} : { priority: r.priority }),
        ...(r.enabled ? {} : { enabled: false }),
        targets: targets.map((t) => ({
          provider: t.provider,
          model: escape(t.model),
          ...(t.weight === 1 ? {} : { weight: t.weight }),
          ...optional("key", t.providerKey === null ? undefined : escape(t.providerKey)),
        })),
        ...nonEmpty(
          "fallbacks",
          fallbacks.map((t) => ({
            provider: t.provider,
            model: escape(t.model),
            ...optional("key", t.providerKey === null ? undefined : escape(t.providerKey)),
          })),
        ),
      };
    });
  }
  const aliases = aliasSetting?.value;
  if (aliases && typeof aliases === "object" && !Array.isArray(aliases) && Object.keys(aliases).length > 0) {
    document.model_aliases = Object.fromEntries(
      Object.entries(aliases as Record<string, string>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([alias, target]) => [escape(alias), escape(target)]),
    );
  }
  const settings: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(CONFIG_SETTING_KEYS)) {
    const value = settingRows.find((row) => row.key === key)?.value;
    if (value !== undefined && value !== null) settings[field] = typeof value === "string" ? escape(value) : value;
  }
  if (Object.keys(settings).length > 0) document.settings = settings as Section<"settings">;
  return { document, placeholders };
}

type BudgetRow = Awaited<ReturnType<PrismaClient["budget"]["findMany"]>>[number];
type RateLimitRow = Awaited<ReturnType<PrismaClient["rateLimit"]["findMany"]>>[number];

function limitIndex(budgets: BudgetRow[], rateLimits: RateLimitRow[]) {
  const byOwner = new Map<string, { budgets: BudgetRow[]; rateLimits: RateLimitRow[] }>();
  const entry = (type: string, id: string) => {
    const key = `${type}|${id}`;
    let value = byOwner.get(key);
    if (!value) byOwner.set(key, (value = { budgets: [], rateLimits: [] }));
    return value;
  };
  for (const b of budgets) entry(b.entityType, b.entityId).budgets.push(b);
  for (const r of rateLimits) entry(r.entityType, r.entityId).rateLimits.push(r);

  return (type: string, id: string): { budgets?: BudgetOut[]; rate_limits?: RateLimitOut[] } => {
    const found = byOwner.get(`${type}|${id}`);
    if (!found) return {};
    const budgetsOut = [...found.budgets].sort(byWindow).flatMap(budgetEntries);
    const rateLimitsOut = [...found.rateLimits].sort(byWindow).map(
      (r): RateLimitOut => ({
        ...optional("requests", r.maxRequests ?? undefined),
        ...optional("tokens", r.maxTokens === null ? undefined : Number(r.maxTokens)),
        ...optional("concurrent", r.maxConcurrent ?? undefined),
        ...(r.window === "" ? {} : { window: r.window }),
      }),
    );
    return { ...nonEmpty("budgets", budgetsOut), ...nonEmpty("rate_limits", rateLimitsOut) };
  };
}

// One row may hold a USD and a token limit; the file lists them as two budgets.
function budgetEntries(b: BudgetRow): BudgetOut[] {
  const common = {
    window: b.window,
    ...(b.alignment === "calendar" ? {} : { alignment: b.alignment }),
    ...(sameList(b.alertThresholds, DEFAULT_ALERT_THRESHOLDS) ? {} : { alert_thresholds: b.alertThresholds }),
  };
  const out: BudgetOut[] = [];
  if (b.limitUsd !== null) out.push({ usd: b.limitUsd.toNumber(), ...common });
  if (b.limitTokens !== null) out.push({ tokens: Number(b.limitTokens), ...common });
  return out;
}

function byWindow(a: { window: string; createdAt: Date }, b: { window: string; createdAt: Date }): number {
  const length = (w: string) => (isWindow(w) ? nominalWindowMs(w) : 0);
  return length(a.window) - length(b.window) || a.window.localeCompare(b.window) || a.createdAt.getTime() - b.createdAt.getTime();
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function nonEmpty<K extends string, V>(key: K, values: V[] | undefined): { [P in K]?: V[] } {
  return (values && values.length > 0 ? { [key]: values } : {}) as { [P in K]?: V[] };
}

function nonEmptyObject<K extends string, V extends object>(key: K, value: V): { [P in K]?: V } {
  return (Object.keys(value).length > 0 ? { [key]: value } : {}) as { [P in K]?: V };
}

// Text from the database is literal; `apply` would read a `${` in it as a variable.
function escape(text: string): string {
  // A replacer function, because in a replacement string `$$` means a single `$`.
  return text.replaceAll("${", () => "$${");
}

function escapeJson(value: Prisma.JsonValue): Prisma.JsonValue {
  if (typeof value === "string") return escape(value);
  if (Array.isArray(value)) return value.map(escapeJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeJson(v ?? null)]));
  }
  return value ?? {};
}
