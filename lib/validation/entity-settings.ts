// `settings` of a team or a virtual key (the `settings` JSON column): cache defaults (PRODUCT
// §6, lib/validation/cache.ts) and body capture for the log (gateway/logs/body-capture.ts).
// The same shape in the config file, the admin API and the gateway's snapshot.
import { z } from "zod";
import { cacheSettingsSchema } from "./cache";

export const entitySettingsSchema = z.strictObject({
  cache: cacheSettingsSchema.optional(),
  /** Capture request/response bodies on the log for this team's / key's requests. */
  capture_bodies: z.boolean().optional(),
});
export type EntitySettings = z.output<typeof entitySettingsSchema>;
