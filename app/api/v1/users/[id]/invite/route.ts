// POST /api/v1/users/:id/invite: a new one-time link for a user who has not signed in yet.
import { reissueInvite } from "@/lib/admin/users";
import { handleAdmin, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "users:write", async ({ prisma, actor }) => ({ data: await reissueInvite(prisma, actor, id, new URL(request.url)) }));
}
