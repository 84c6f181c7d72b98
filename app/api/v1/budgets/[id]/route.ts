// GET / PATCH / DELETE /api/v1/budgets/:id.
import { parseInput } from "@/lib/admin/errors";
import { deleteBudget, getBudget, updateBudget } from "@/lib/admin/budgets";
import { updateBudgetInputSchema } from "@/lib/validation/admin-limits";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:read", async ({ prisma, actor }) => ({ data: await getBudget(prisma, actor, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => {
    const input = parseInput(updateBudgetInputSchema, await readJson(request));
    return { data: await updateBudget(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => ({ data: await deleteBudget(prisma, actor, id) }));
}
