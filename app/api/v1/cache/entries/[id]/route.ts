// DELETE /api/v1/cache/entries/:id — removes one cached answer (its id is in the log
// record's metadata.cacheEntryId) from every gateway replica.
import { parseInput } from "@/lib/admin/errors";
import { cacheEntryIdSchema } from "@/lib/validation/cache";
import { handleAdmin, type IdParams } from "../../../_lib/admin-handler";
import { invalidateCache } from "../../cache-admin";

export const dynamic = "force-dynamic";

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  return handleAdmin(request, "cache:write", async ({ prisma, actor }) => {
    const { id } = await params;
    const entryId = parseInput(cacheEntryIdSchema, id, "entry id");
    return { data: await invalidateCache(prisma, actor, { entryId }) };
  });
}
