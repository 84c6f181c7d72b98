// GET /api/v1/virtual-keys (scoped to what the caller may see, never a hash) and POST
// (create; the secret is in this response only). PRODUCT §5.2, §10.
import { parseInput } from "@/lib/admin/errors";
import { createVirtualKey, listVirtualKeys } from "@/lib/admin/virtual-keys";
import { createVirtualKeyInputSchema } from "@/lib/validation/admin-virtual-keys";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "virtual-keys:read", async ({ prisma, actor }) => ({ data: await listVirtualKeys(prisma, actor) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "virtual-keys:write", async ({ prisma, actor }) => {
    const input = parseInput(createVirtualKeyInputSchema, await readJson(request));
    const { key, secret } = await createVirtualKey(prisma, actor, input);
    return { data: { ...key, secret }, status: 201 };
  });
}
