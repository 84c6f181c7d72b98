// POST /api/v1/virtual-keys/:id/rotate {grace_seconds?}: a new secret, returned once.
import { parseInput } from "@/lib/admin/errors";
import { rotateVirtualKey } from "@/lib/admin/virtual-keys";
import { rotateVirtualKeyInputSchema } from "@/lib/validation/admin-virtual-keys";
import { handleAdmin, readJson, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "virtual-keys:write", async ({ prisma, actor }) => {
    const input = parseInput(rotateVirtualKeyInputSchema, await readJson(request));
    const { key, secret } = await rotateVirtualKey(prisma, actor, id, input);
    return { data: { ...key, secret } };
  });
}
