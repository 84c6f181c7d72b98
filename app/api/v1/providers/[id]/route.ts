// GET / PATCH / DELETE /api/v1/providers/:id. The name is fixed after creation (clients and
// rules refer to it); DELETE answers 409 while a routing rule still uses the provider.
import { parseInput } from "@/lib/admin/errors";
import { deleteProvider, getProvider, updateProvider } from "@/lib/admin/providers";
import { updateProviderInputSchema } from "@/lib/validation/admin-providers";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:read", async ({ prisma }) => ({ data: await getProvider(prisma, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => {
    const input = parseInput(updateProviderInputSchema, await readJson(request));
    return { data: await updateProvider(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => ({ data: await deleteProvider(prisma, actor, id) }));
}
