// Customers: the top of the governance hierarchy (PRODUCT §5.1).
import { z } from "zod";
import { entityNameSchema, metadataSchema } from "./common";
import { limitsShape } from "./limits";

export const customerSchema = z.strictObject({
  name: entityNameSchema,
  /** The customer's id in the operator's own systems (billing, CRM). */
  external_id: z.string().min(1).max(256).optional(),
  metadata: metadataSchema.optional(),
  ...limitsShape,
});

export type CustomerConfig = z.output<typeof customerSchema>;
