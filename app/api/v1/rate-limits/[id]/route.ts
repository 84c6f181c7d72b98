// GET / PATCH / DELETE /api/v1/rate-limits/:id.
import { parseInput } from "@/lib/admin/errors";
import { deleteRateLimit, getRateLimit, updateRateLimit } from "@/lib/admin/rate-limits";
import { updateRateLimitInputSchema } from "@/lib/validation/admin-limits";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:read", async ({ prisma, actor }) => ({ data: await getRateLimit(prisma, actor, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => {
    const input = parseInput(updateRateLimitInputSchema, await readJson(request));
    return { data: await updateRateLimit(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "budgets:write", async ({ prisma, actor }) => ({ data: await deleteRateLimit(prisma, actor, id) }));
}
