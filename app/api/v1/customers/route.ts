// GET /api/v1/customers and POST (create). PRODUCT §5.1, §10.
import { parseInput } from "@/lib/admin/errors";
import { createCustomer, listCustomers } from "@/lib/admin/customers";
import { createCustomerInputSchema } from "@/lib/validation/admin-customers";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "customers:read", async ({ prisma }) => ({ data: await listCustomers(prisma) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "customers:write", async ({ prisma, actor }) => {
    const input = parseInput(createCustomerInputSchema, await readJson(request));
    return { data: await createCustomer(prisma, actor, input), status: 201 };
  });
}
