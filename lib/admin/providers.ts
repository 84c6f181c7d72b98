// Providers and their API keys over the admin API (PRODUCT §3, §8, §10). Key values are
// write-only: encrypted on the way in (lib/crypto/secret-box.ts), and only the last four
// characters (`secret_hint`) ever come back out (STYLE §8).
import type { Prisma, PrismaClient } from "../db/client";
import { decryptSecret, encryptSecret, secretHint } from "../crypto/secret-box";
import {
  providerResponseSchema,
  providerKeyResponseSchema,
  testProviderResultSchema,
  type CreateProviderInput,
  type CreateProviderKeyInput,
  type ProviderKeyResponse,
  type ProviderResponse,
  type ProviderSettings,
  type TestProviderInput,
  type TestProviderResult,
  type UpdateProviderInput,
  type UpdateProviderKeyInput,
} from "../validation/admin-providers";
import type { Actor } from "./actor";
import { AdminError, notFound } from "./errors";
import { loadLimits, type LimitsResponse } from "./limits";
import { audit, mutate, type Tx } from "./transaction";

// Never select secret_ciphertext for a response: what is not read cannot leak.
const KEY_SELECT = {
  id: true,
  name: true,
  secretHint: true,
  secretRef: true,
  weight: true,
  models: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ProviderKeySelect;

const PROVIDER_SELECT = {
  id: true,
  name: true,
  type: true,
  baseUrl: true,
  requestTypes: true,
  models: true,
  headers: true,
  settings: true,
  enabled: true,
  captureBodies: true,
  createdAt: true,
  updatedAt: true,
  keys: { select: KEY_SELECT, orderBy: [{ name: "asc" }] },
} satisfies Prisma.ProviderSelect;

type KeyRow = Prisma.ProviderKeyGetPayload<{ select: typeof KEY_SELECT }>;
type ProviderRow = Prisma.ProviderGetPayload<{ select: typeof PROVIDER_SELECT }>;

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// The gateway reads `settings.timeouts` as { connectMs, firstByteMs, streamIdleMs }
// (gateway/upstream/provider-timeouts.ts); the API speaks snake_case like the rest of it.
const TIMEOUT_FIELDS = [
  ["connect_ms", "connectMs"],
  ["first_byte_ms", "firstByteMs"],
  ["stream_idle_ms", "streamIdleMs"],
] as const;

function settingsToDb(settings: ProviderSettings): Prisma.InputJsonValue {
  const { timeouts, ...rest } = settings;
  if (!timeouts) return rest;
  const stored: Record<string, number> = {};
  for (const [api, db] of TIMEOUT_FIELDS) if (timeouts[api] !== undefined) stored[db] = timeouts[api];
  return { ...rest, timeouts: stored };
}

function settingsFromDb(json: unknown): Record<string, unknown> {
  const { timeouts, ...rest } = asRecord(json);
  if (timeouts === undefined) return rest;
  const stored = asRecord(timeouts);
  const api: Record<string, unknown> = {};
  for (const [apiName, db] of TIMEOUT_FIELDS) {
    const value = stored[db] ?? stored[apiName];
    if (value !== undefined) api[apiName] = value;
  }
  return { ...rest, timeouts: api };
}

function toApiKey(row: KeyRow): ProviderKeyResponse {
  return providerKeyResponseSchema.parse({
    id: row.id,
    name: row.name,
    secret_hint: row.secretHint,
    secret_ref: row.secretRef,
    weight: row.weight,
    models: row.models,
    enabled: row.enabled,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  });
}

function toApiProvider(row: ProviderRow, limits: LimitsResponse): ProviderResponse {
  return providerResponseSchema.parse({
    id: row.id,
    name: row.name,
    type: row.type,
    base_url: row.baseUrl,
    request_types: row.requestTypes,
    models: row.models,
    header_names: Object.keys(asRecord(row.headers)).sort(),
    settings: settingsFromDb(row.settings),
    enabled: row.enabled,
    capture_bodies: row.captureBodies,
    keys: row.keys.map(toApiKey),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...limits,
  });
}

async function present(db: Tx, row: ProviderRow): Promise<ProviderResponse> {
  return toApiProvider(row, (await loadLimits(db, "provider", [row.id]))(row.id));
}

async function findProvider(db: Tx, id: string): Promise<ProviderRow> {
  const row = await db.provider.findUnique({ where: { id }, select: PROVIDER_SELECT });
  if (!row) throw notFound("provider", id);
  return row;
}

export async function listProviders(prisma: PrismaClient): Promise<ProviderResponse[]> {
  const rows = await prisma.provider.findMany({ select: PROVIDER_SELECT, orderBy: [{ name: "asc" }] });
  const limits = await loadLimits(prisma, "provider", rows.map((r) => r.id));
  return rows.map((row) => toApiProvider(row, limits(row.id)));
}

export async function getProvider(prisma: PrismaClient, id: string): Promise<ProviderResponse> {
  return present(prisma, await findProvider(prisma, id));
}

function keyData(input: CreateProviderKeyInput) {
  return {
    name: input.name,
    secretCiphertext: encryptSecret(input.value),
    secretHint: secretHint(input.value),
    weight: input.weight ?? 1,
    models: input.models ?? [],
    enabled: input.enabled ?? true,
  };
}

export async function createProvider(prisma: PrismaClient, actor: Actor, input: CreateProviderInput): Promise<ProviderResponse> {
  return mutate(prisma, async (tx) => {
    const created = await tx.provider.create({
      data: {
        name: input.name,
        type: input.type,
        baseUrl: input.base_url ?? null,
        requestTypes: input.request_types ?? [],
        models: input.models ?? [],
        headers: input.headers ?? {},
        settings: settingsToDb(input.settings ?? {}),
        enabled: input.enabled ?? true,
        captureBodies: input.capture_bodies ?? false,
        keys: { create: (input.keys ?? []).map(keyData) },
      },
      select: { id: true },
    });
    const after = await present(tx, await findProvider(tx, created.id));
    await audit(tx, actor, { action: "create", entityType: "provider", entityId: after.id, entityName: after.name, after });
    return after;
  });
}

export async function updateProvider(prisma: PrismaClient, actor: Actor, id: string, input: UpdateProviderInput): Promise<ProviderResponse> {
  return mutate(prisma, async (tx) => {
    const before = await present(tx, await findProvider(tx, id));
    await tx.provider.update({
      where: { id },
      data: {
        type: input.type,
        baseUrl: input.base_url,
        requestTypes: input.request_types,
        models: input.models,
        headers: input.headers,
        settings: input.settings === undefined ? undefined : settingsToDb(input.settings),
        enabled: input.enabled,
        captureBodies: input.capture_bodies,
      },
    });
    const after = await present(tx, await findProvider(tx, id));
    await audit(tx, actor, { action: "update", entityType: "provider", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

/** Rule names whose targets or fallbacks name the provider (optionally one of its keys). */
async function rulesUsing(tx: Tx, provider: string, key?: string): Promise<string[]> {
  const rows = await tx.routingTarget.findMany({
    where: { provider, ...(key === undefined ? {} : { providerKey: key }) },
    select: { rule: { select: { name: true } } },
    distinct: ["ruleId"],
  });
  return rows.map((r) => r.rule.name).sort();
}

export async function deleteProvider(prisma: PrismaClient, actor: Actor, id: string): Promise<ProviderResponse> {
  return mutate(prisma, async (tx) => {
    const before = await present(tx, await findProvider(tx, id));
    // A rule pointing at a deleted provider would fail every request it matches.
    const rules = await rulesUsing(tx, before.name);
    if (rules.length > 0) {
      throw new AdminError("conflict", `Provider ${before.name} is used by routing rule(s) ${rules.join(", ")}; change those first`);
    }
    await tx.budget.deleteMany({ where: { entityType: "provider", entityId: id } });
    await tx.rateLimit.deleteMany({ where: { entityType: "provider", entityId: id } });
    await tx.provider.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "provider", entityId: id, entityName: before.name, before });
    return before;
  });
}

export async function listProviderKeys(prisma: PrismaClient, providerId: string): Promise<ProviderKeyResponse[]> {
  return (await findProvider(prisma, providerId)).keys.map(toApiKey);
}

async function findKey(tx: Tx, providerId: string, keyId: string): Promise<KeyRow> {
  const row = await tx.providerKey.findFirst({ where: { id: keyId, providerId }, select: KEY_SELECT });
  if (!row) throw notFound("provider key", keyId);
  return row;
}

export async function createProviderKey(
  prisma: PrismaClient,
  actor: Actor,
  providerId: string,
  input: CreateProviderKeyInput,
): Promise<ProviderKeyResponse> {
  return mutate(prisma, async (tx) => {
    const provider = await findProvider(tx, providerId);
    const after = toApiKey(await tx.providerKey.create({ data: { providerId, ...keyData(input) }, select: KEY_SELECT }));
    await audit(tx, actor, { action: "create", entityType: "provider_key", entityId: after.id, entityName: `${provider.name}/${after.name}`, after });
    return after;
  });
}

export async function updateProviderKey(
  prisma: PrismaClient,
  actor: Actor,
  providerId: string,
  keyId: string,
  input: UpdateProviderKeyInput,
): Promise<ProviderKeyResponse> {
  return mutate(prisma, async (tx) => {
    const provider = await findProvider(tx, providerId);
    const before = toApiKey(await findKey(tx, providerId, keyId));
    const row = await tx.providerKey.update({
      where: { id: keyId },
      data: {
        weight: input.weight,
        models: input.models,
        enabled: input.enabled,
        // A replaced secret no longer comes from the config file's `${VAR}`.
        ...(input.value === undefined
          ? {}
          : { secretCiphertext: encryptSecret(input.value), secretHint: secretHint(input.value), secretRef: null }),
      },
      select: KEY_SELECT,
    });
    const after = toApiKey(row);
    await audit(tx, actor, {
      action: "update",
      entityType: "provider_key",
      entityId: keyId,
      entityName: `${provider.name}/${after.name}`,
      before,
      // The hint alone may not change when a secret is replaced; say so without the secret.
      after: { ...after, secret: input.value === undefined ? "unchanged" : "changed" },
    });
    return after;
  });
}

export async function deleteProviderKey(prisma: PrismaClient, actor: Actor, providerId: string, keyId: string): Promise<ProviderKeyResponse> {
  return mutate(prisma, async (tx) => {
    const provider = await findProvider(tx, providerId);
    const before = toApiKey(await findKey(tx, providerId, keyId));
    const rules = await rulesUsing(tx, provider.name, before.name);
    if (rules.length > 0) {
      throw new AdminError("conflict", `Key ${provider.name}/${before.name} is pinned by routing rule(s) ${rules.join(", ")}; change those first`);
    }
    await tx.providerKey.delete({ where: { id: keyId } });
    await audit(tx, actor, { action: "delete", entityType: "provider_key", entityId: keyId, entityName: `${provider.name}/${before.name}`, before });
    return before;
  });
}

// ─── test connection ─────────────────────────────────────────────────────────────────────

// Public defaults for a provider row without base_url (same values as the gateway's
// gateway/upstream/openai-compatible-providers.ts; lib/ cannot import gateway/).
const OPENAI_STYLE_DEFAULTS: Readonly<Record<string, string | null>> = {
  openai: "https://api.openai.com/v1",
  "openai-compatible": null,
  mistral: "https://api.mistral.ai/v1",
  groq: "https://api.groq.com/openai/v1",
  deepseek: "https://api.deepseek.com/v1",
  xai: "https://api.x.ai/v1",
  together: "https://api.together.xyz/v1",
  openrouter: "https://openrouter.ai/api/v1",
  vllm: null,
  ollama: "http://127.0.0.1:11434/v1",
  cohere: "https://api.cohere.com/v1",
};
const ANTHROPIC_STYLE_DEFAULTS: Readonly<Record<string, string | null>> = {
  anthropic: "https://api.anthropic.com/v1",
  "anthropic-compatible": null,
};
const GEMINI_DEFAULT = "https://generativelanguage.googleapis.com/v1beta";

export const TEST_CONNECTION_TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 1_000;

interface ProbeRequest {
  url: string;
  headers: Record<string, string>;
}

/** The cheapest authenticated call each API family offers: list the models. */
function probeFor(type: string, baseUrl: string | null, settings: Record<string, unknown>, secret: string | null): ProbeRequest {
  const join = (base: string) => `${base.replace(/\/+$/, "")}/models`;
  const noUrl = () => new AdminError("invalid_request", `Provider type ${type} has no default base URL; set base_url first`);
  if (Object.hasOwn(OPENAI_STYLE_DEFAULTS, type)) {
    const base = baseUrl ?? OPENAI_STYLE_DEFAULTS[type] ?? null;
    if (!base) throw noUrl();
    return { url: join(base), headers: secret === null ? {} : { authorization: `Bearer ${secret}` } };
  }
  if (Object.hasOwn(ANTHROPIC_STYLE_DEFAULTS, type)) {
    const base = baseUrl ?? ANTHROPIC_STYLE_DEFAULTS[type] ?? null;
    if (!base) throw noUrl();
    const version = typeof settings.api_version === "string" ? settings.api_version : "2023-06-01";
    return { url: join(base), headers: { "anthropic-version": version, ...(secret === null ? {} : { "x-api-key": secret }) } };
  }
  if (type === "gemini") {
    // The key goes in a header, not `?key=`, so it never lands in a URL we echo back.
    return { url: join(baseUrl ?? GEMINI_DEFAULT), headers: secret === null ? {} : { "x-goog-api-key": secret } };
  }
  throw new AdminError("invalid_request", `Test connection is not available for provider type ${type} yet (it needs request signing or deployments)`);
}

/** Removes every secret the probe used from text that goes back to the browser. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values ("1", "on") would shred the text without protecting anything.
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `could not reach the provider: ${detail}`;
}

export interface TestConnectionOptions {
  timeoutMs?: number;
}

/**
 * "Test connection" (PRODUCT §8): one real, read-only call to the upstream with a stored key,
 * answering what came back. Not a mutation: nothing is stored or audited.
 */
export async function testProviderConnection(
  prisma: PrismaClient,
  id: string,
  input: TestProviderInput,
  options: TestConnectionOptions = {},
): Promise<TestProviderResult> {
  const provider = await prisma.provider.findUnique({
    where: { id },
    select: {
      type: true,
      baseUrl: true,
      headers: true,
      settings: true,
      keys: { select: { name: true, secretCiphertext: true, enabled: true, weight: true }, orderBy: [{ weight: "desc" }, { name: "asc" }] },
    },
  });
  if (!provider) throw notFound("provider", id);
  const key = input.key === undefined ? provider.keys.find((k) => k.enabled) : provider.keys.find((k) => k.name === input.key);
  if (input.key !== undefined && !key) {
    throw new AdminError("invalid_request", `Provider has no key named ${input.key}`, [{ path: "key", message: "no such key" }]);
  }
  let secret: string | null = null;
  if (key) {
    try {
      secret = decryptSecret(key.secretCiphertext);
    } catch {
      throw new AdminError("conflict", `Key ${key.name} cannot be decrypted with this server's master key; set its value again`);
    }
  }

  const extraHeaders = Object.fromEntries(
    Object.entries(asRecord(provider.headers)).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const probe = probeFor(provider.type, provider.baseUrl, asRecord(provider.settings), secret);
  const secrets = [...(secret === null ? [] : [secret]), ...Object.values(extraHeaders)];
  const timeoutMs = options.timeoutMs ?? TEST_CONNECTION_TIMEOUT_MS;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const base = { url: redact(probe.url, secrets), key: key?.name ?? null };
  try {
    const response = await fetch(probe.url, {
      headers: { accept: "application/json", ...extraHeaders, ...probe.headers },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    const text = await response.text();
    return testProviderResultSchema.parse({
      ok: response.ok,
      status: response.status,
      latency_ms: latency(),
      ...base,
      // Redact before cutting, so a secret split by the cut cannot leak its first half.
      body_excerpt: redact(text, secrets).slice(0, EXCERPT_CHARS),
    });
  } catch (error) {
    return testProviderResultSchema.parse({
      ok: false,
      status: null,
      latency_ms: latency(),
      ...base,
      error: redact(describeFetchError(error, timeoutMs), secrets),
    });
  }
}
