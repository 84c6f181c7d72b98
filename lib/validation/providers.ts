// Upstream providers and their API keys (PRODUCT §3).
import { z } from "zod";
import { entityNameSchema, metadataSchema, modelPatternSchema, providerNameSchema, reportDuplicates, uniqueList } from "./common";
import { limitsShape } from "./limits";
import { PROVIDER_TYPES, REQUEST_TYPES } from "./provider-types";

export const providerTypeSchema = z.enum(PROVIDER_TYPES, {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `unknown provider type ${JSON.stringify(issue.input)}; expected one of ${PROVIDER_TYPES.join(", ")}`,
});

export const requestTypeSchema = z.enum(REQUEST_TYPES, {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `unknown request type ${JSON.stringify(issue.input)}; expected one of ${REQUEST_TYPES.join(", ")}`,
});

export const providerKeySchema = z.strictObject({
  name: entityNameSchema,
  /** The secret itself (after `${VAR}` substitution); stored encrypted, never exported. */
  value: z.string().min(1, { error: "must not be empty (is the environment variable set to an empty string?)" }),
  weight: z.int().min(0).max(10_000).optional(),
  /** Globs of the models this key may serve; empty = all. */
  models: uniqueList(modelPatternSchema).optional(),
  enabled: z.boolean().optional(),
});

export type ProviderKeyConfig = z.output<typeof providerKeySchema>;

// RFC 7230 token: what an HTTP header name may contain.
const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: "not a valid HTTP header name" });

export const providerBaseSchema = z.strictObject({
  name: providerNameSchema,
  type: providerTypeSchema,
  base_url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  request_types: uniqueList(requestTypeSchema).optional(),
  models: uniqueList(modelPatternSchema).optional(),
  headers: z.record(headerNameSchema, z.string()).optional(),
  /** Adapter-specific settings: timeouts, api version, region, deployment map, ... */
  settings: metadataSchema.optional(),
  keys: z.array(providerKeySchema).optional(),
  enabled: z.boolean().optional(),
  capture_bodies: z.boolean().optional(),
  ...limitsShape,
});

export const providerSchema = providerBaseSchema.superRefine((provider, ctx) => {
  reportDuplicates(provider.keys ?? [], (key) => key.name, ctx, {
    field: "name",
    what: "key name",
    pathPrefix: ["keys"],
  });
});

export type ProviderConfig = z.output<typeof providerSchema>;
