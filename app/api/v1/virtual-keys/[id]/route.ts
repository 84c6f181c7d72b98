// GET / PATCH / DELETE /api/v1/virtual-keys/:id. DELETE revokes (the row stays for logs).
import { parseInput } from "@/lib/admin/errors";
import { getVirtualKey, revokeVirtualKey, updateVirtualKey } from "@/lib/admin/virtual-keys";
import { updateVirtualKeyInputSchema } from "@/lib/validation/admin-virtual-keys";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "virtual-keys:read", async ({ prisma, actor }) => ({ data: await getVirtualKey(prisma, actor, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "virtual-keys:write", async ({ prisma, actor }) => {
    const input = parseInput(updateVirtualKeyInputSchema, await readJson(request));
    return { data: await updateVirtualKey(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "virtual-keys:write", async ({ prisma, actor }) => ({ data: await revokeVirtualKey(prisma, actor, id) }));
}
