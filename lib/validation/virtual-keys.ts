// Virtual keys: the credentials clients present to the gateway (PRODUCT §5.2).
import { z } from "zod";
import { entitySettingsSchema } from "./entity-settings";
import { VIRTUAL_KEY_PREFIX } from "../crypto/virtual-key";
import { entityNameSchema, metadataSchema, modelPatternSchema, uniqueList } from "./common";
import { limitsShape } from "./limits";

// Short secrets are guessable; generated keys carry 43 base62 characters after the prefix.
const MIN_SECRET_BODY = 8;

export const virtualKeyValueSchema = z
  .string()
  .refine((value) => value.startsWith(VIRTUAL_KEY_PREFIX), { error: `must start with "${VIRTUAL_KEY_PREFIX}"` })
  .refine((value) => value.length >= VIRTUAL_KEY_PREFIX.length + MIN_SECRET_BODY, {
    error: `must have at least ${MIN_SECRET_BODY} characters after "${VIRTUAL_KEY_PREFIX}"`,
  })
  .refine((value) => /^[\x21-\x7e]+$/.test(value), { error: "must be printable ASCII without spaces" });

export const virtualKeyExpirySchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: "must be an ISO 8601 date (2026-01-31) or date-time with time zone (2026-01-31T00:00:00Z)",
});

export const virtualKeyBaseSchema = z.strictObject({
  name: entityNameSchema,
  team: entityNameSchema.optional(),
  customer: entityNameSchema.optional(),
  /** Email of the dashboard user who owns the key. */
  user: z.email().optional(),
  /** The secret; generated (and shown once) when absent. */
  value: virtualKeyValueSchema.optional(),
  /** Allowed model globs; deny by default, so the list is required (`["*"]` = everything). */
  models: uniqueList(modelPatternSchema),
  providers: uniqueList(z.string().min(1)).optional(),
  expires_at: virtualKeyExpirySchema.optional(),
  active: z.boolean().optional(),
  tags: uniqueList(z.string().min(1).max(64)).optional(),
  metadata: metadataSchema.optional(),
  /** Cache defaults and body capture for this key's requests. */
  settings: entitySettingsSchema.optional(),
  ...limitsShape,
});

export const virtualKeySchema = virtualKeyBaseSchema;

export type VirtualKeyConfig = z.output<typeof virtualKeySchema>;

/** `2026-01-31` means the start of that day in UTC. */
export function parseVirtualKeyExpiry(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
}
