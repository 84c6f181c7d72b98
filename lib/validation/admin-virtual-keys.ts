// Admin API shapes for virtual keys (PRODUCT §5.2, §10), derived from the config file's
// `virtualKeyBaseSchema` (STYLE §6). `team`, `customer` and `user` are names / an email, as
// in the YAML, so a key written by `config apply` and one created here look the same.
import { z } from "zod";
import { entityNameSchema } from "./common";
import { entityRefSchema, limitsResponseShape } from "./admin-common";
import { virtualKeyBaseSchema, virtualKeyExpirySchema } from "./virtual-keys";

// `value` is dropped: over the API the server always generates the secret, so a caller can
// never plant a guessable or reused one.
export const createVirtualKeyInputSchema = virtualKeyBaseSchema.omit({ value: true });

// null clears an owner or the expiry; absent leaves it as it is.
export const updateVirtualKeyInputSchema = createVirtualKeyInputSchema.partial().extend({
  team: entityNameSchema.nullable().optional(),
  customer: entityNameSchema.nullable().optional(),
  user: z.email().nullable().optional(),
  expires_at: virtualKeyExpirySchema.nullable().optional(),
});

/** Seconds the old secret keeps working after a rotation; 0 or absent = it stops at once. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;
export const rotateVirtualKeyInputSchema = z.strictObject({
  grace_seconds: z.int().min(0).max(MAX_ROTATION_GRACE_SECONDS).optional(),
});

export type CreateVirtualKeyInput = z.output<typeof createVirtualKeyInputSchema>;
export type UpdateVirtualKeyInput = z.output<typeof updateVirtualKeyInputSchema>;
export type RotateVirtualKeyInput = z.output<typeof rotateVirtualKeyInputSchema>;

// Strict on the way out too: a hash column added to the select by mistake fails the parse
// instead of reaching a client (STYLE §8).
export const virtualKeyResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  display_prefix: z.string(),
  team: entityRefSchema,
  customer: entityRefSchema,
  user: z.strictObject({ id: z.string(), email: z.string() }).nullable(),
  models: z.array(z.string()),
  providers: z.array(z.string()),
  expires_at: z.string().nullable(),
  active: z.boolean(),
  revoked_at: z.string().nullable(),
  previous_key_expires_at: z.string().nullable(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.json()),
  settings: z.record(z.string(), z.json()),
  last_used_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  ...limitsResponseShape,
});

export type VirtualKeyResponse = z.output<typeof virtualKeyResponseSchema>;

/** Create and rotate answers: the only responses that ever carry the secret. */
export const virtualKeyWithSecretResponseSchema = virtualKeyResponseSchema.extend({ secret: z.string() });
