// GET / POST /api/v1/providers/:id/keys. `value` is write-only: stored encrypted, answered
// as `secret_hint` (last 4 characters) only.
import { parseInput } from "@/lib/admin/errors";
import { createProviderKey, listProviderKeys } from "@/lib/admin/providers";
import { createProviderKeyInputSchema } from "@/lib/validation/admin-providers";
import { handleAdmin, readJson, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:read", async ({ prisma }) => ({ data: await listProviderKeys(prisma, id) }));
}

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "providers:write", async ({ prisma, actor }) => {
    const input = parseInput(createProviderKeyInputSchema, await readJson(request));
    return { data: await createProviderKey(prisma, actor, id, input), status: 201 };
  });
}
