// Admin API shapes for customers (PRODUCT §5.1), derived from `customerSchema`.
import { z } from "zod";
import { limitsResponseShape } from "./admin-common";
import { customerSchema } from "./customers";

export const createCustomerInputSchema = customerSchema;
export const updateCustomerInputSchema = customerSchema
  .partial()
  .extend({ external_id: customerSchema.shape.external_id.unwrap().nullable().optional() });

export type CreateCustomerInput = z.output<typeof createCustomerInputSchema>;
export type UpdateCustomerInput = z.output<typeof updateCustomerInputSchema>;

export const customerResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  external_id: z.string().nullable(),
  metadata: z.record(z.string(), z.json()),
  team_count: z.int(),
  created_at: z.string(),
  updated_at: z.string(),
  ...limitsResponseShape,
});
