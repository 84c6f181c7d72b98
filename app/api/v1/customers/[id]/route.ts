// GET / PATCH / DELETE /api/v1/customers/:id.
import { parseInput } from "@/lib/admin/errors";
import { deleteCustomer, getCustomer, updateCustomer } from "@/lib/admin/customers";
import { updateCustomerInputSchema } from "@/lib/validation/admin-customers";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "customers:read", async ({ prisma }) => ({ data: await getCustomer(prisma, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "customers:write", async ({ prisma, actor }) => {
    const input = parseInput(updateCustomerInputSchema, await readJson(request));
    return { data: await updateCustomer(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "customers:write", async ({ prisma, actor }) => ({ data: await deleteCustomer(prisma, actor, id) }));
}
