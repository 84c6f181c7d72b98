// Teams: own virtual keys, optionally belong to a customer (PRODUCT §5.1).
import { z } from "zod";
import { entitySettingsSchema } from "./entity-settings";
import { entityNameSchema, metadataSchema } from "./common";
import { limitsShape } from "./limits";

export const teamSchema = z.strictObject({
  name: entityNameSchema,
  /** Name of the customer the team belongs to. */
  customer: entityNameSchema.optional(),
  metadata: metadataSchema.optional(),
  /** Cache defaults and body capture for the team's requests. */
  settings: entitySettingsSchema.optional(),
  ...limitsShape,
});

export type TeamConfig = z.output<typeof teamSchema>;
