// PATCH / DELETE /api/v1/providers/:id/keys/:keyId. A new `value` replaces the secret;
// DELETE answers 409 while a routing rule pins the key.
import { parseInput } from "@/lib/admin/errors";
import { deleteProviderKey, updateProviderKey } from "@/lib/admin/providers";
import { updateProviderKeyInputSchema } from "@/lib/validation/admin-providers";
import { handleAdmin, readJson } from "../../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

type KeyParams = { params: Promise<{ id: string; keyId: string }> };

export async function PATCH(request: Request, { params }: KeyParams): Promise<Response> {
  const { id, keyId } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => {
    const input = parseInput(updateProviderKeyInputSchema, await readJson(request));
    return { data: await updateProviderKey(prisma, actor, id, keyId, input) };
  });
}

export async function DELETE(request: Request, { params }: KeyParams): Promise<Response> {
  const { id, keyId } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => ({ data: await deleteProviderKey(prisma, actor, id, keyId) }));
}
