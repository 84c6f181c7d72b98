// DELETE /api/v1/pricing/:id: the model falls back to the maintained price table.
import { deletePricingOverride } from "@/lib/admin/pricing";
import { handleAdmin, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "pricing:write", async ({ prisma, actor }) => ({ data: await deletePricingOverride(prisma, actor, id) }));
}
