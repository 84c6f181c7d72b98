// Admin API shapes for providers and their keys (PRODUCT §3, §8, §10), derived from the
// config file's `providerBaseSchema` / `providerKeySchema` (STYLE §6), so a provider written
// by `config apply` and one created here look the same.
import { z } from "zod";
import { reportDuplicates } from "./common";
import { limitsResponseShape } from "./admin-common";
import { providerBaseSchema, providerKeySchema } from "./providers";

// Upper bound: a stream may legitimately idle for minutes (long reasoning), never for hours.
const timeoutMsSchema = z.int().min(1).max(3_600_000);

/** Per-provider timeouts (PRODUCT §4.3); absent = the gateway's defaults. */
export const providerTimeoutsSchema = z.strictObject({
  connect_ms: timeoutMsSchema.optional(),
  first_byte_ms: timeoutMsSchema.optional(),
  stream_idle_ms: timeoutMsSchema.optional(),
});

// Strict over the API: a misspelled `timeout` would otherwise be stored and silently ignored.
// The YAML keeps its free-form `settings` until every adapter declares its own fields.
export const providerSettingsSchema = z.strictObject({
  timeouts: providerTimeoutsSchema.optional(),
  /** azure-openai `api-version`, anthropic `anthropic-version`. */
  api_version: z.string().min(1).max(64).optional(),
  /** bedrock / vertex region. */
  region: z.string().min(1).max(64).optional(),
  /** vertex project and location. */
  project_id: z.string().min(1).max(128).optional(),
  location: z.string().min(1).max(64).optional(),
  /** OpenAI-compatible types: speak Chat Completions (default) or the Responses API upstream. */
  wire_api: z.enum(["chat", "responses"]).optional(),
  /** azure-openai: model name → deployment name. */
  deployments: z.record(z.string().min(1).max(256), z.string().min(1).max(256)).optional(),
});
export type ProviderSettings = z.output<typeof providerSettingsSchema>;

export const createProviderKeyInputSchema = providerKeySchema;

// Key names are referenced by routing targets (`key:`), so they are not renamed; a new
// `value` replaces the secret.
export const updateProviderKeyInputSchema = providerKeySchema.omit({ name: true }).partial();

export const createProviderInputSchema = providerBaseSchema
  // Budgets and rate limits of a provider go through /api/v1/budgets and /rate-limits.
  .omit({ budgets: true, rate_limits: true })
  .extend({ settings: providerSettingsSchema.optional() })
  .superRefine((provider, ctx) => {
    reportDuplicates(provider.keys ?? [], (key) => key.name, ctx, { field: "name", what: "key name", pathPrefix: ["keys"] });
  });

// The name is how clients (`<provider>/<model>`) and routing rules refer to a provider:
// renaming would silently break both, so it is fixed after creation. null clears base_url.
export const updateProviderInputSchema = providerBaseSchema
  .omit({ name: true, keys: true, budgets: true, rate_limits: true })
  .extend({
    settings: providerSettingsSchema.optional(),
    base_url: providerBaseSchema.shape.base_url.unwrap().nullable().optional(),
  })
  .partial();

export type CreateProviderInput = z.output<typeof createProviderInputSchema>;
export type UpdateProviderInput = z.output<typeof updateProviderInputSchema>;
export type CreateProviderKeyInput = z.output<typeof createProviderKeyInputSchema>;
export type UpdateProviderKeyInput = z.output<typeof updateProviderKeyInputSchema>;

// Strict on the way out: a ciphertext column selected by mistake fails the parse instead of
// reaching a client (STYLE §8).
export const providerKeyResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** Last 4 characters of the secret; "" for short secrets. */
  secret_hint: z.string(),
  /** The `${VAR}` the secret came from in a config file, if any (a name, not a secret). */
  secret_ref: z.string().nullable(),
  weight: z.int(),
  models: z.array(z.string()),
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ProviderKeyResponse = z.output<typeof providerKeyResponseSchema>;

export const providerResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  base_url: z.string().nullable(),
  request_types: z.array(z.string()),
  models: z.array(z.string()),
  // Header values may be credentials (an extra `x-api-key`), so only names are shown;
  // PATCH `headers` replaces the whole map.
  header_names: z.array(z.string()),
  settings: z.record(z.string(), z.json()),
  enabled: z.boolean(),
  capture_bodies: z.boolean(),
  keys: z.array(providerKeyResponseSchema),
  created_at: z.string(),
  updated_at: z.string(),
  ...limitsResponseShape,
});
export type ProviderResponse = z.output<typeof providerResponseSchema>;

/** `POST /providers/:id/test`: which key to try (default: the first enabled one). */
export const testProviderInputSchema = z.strictObject({ key: z.string().min(1).max(128).optional() });
export type TestProviderInput = z.output<typeof testProviderInputSchema>;

export const testProviderResultSchema = z.strictObject({
  ok: z.boolean(),
  /** Upstream HTTP status; null when no answer came back. */
  status: z.int().nullable(),
  latency_ms: z.int(),
  url: z.string(),
  key: z.string().nullable(),
  body_excerpt: z.string().optional(),
  error: z.string().optional(),
});
export type TestProviderResult = z.output<typeof testProviderResultSchema>;
