// GET / PATCH / DELETE /api/v1/teams/:id.
import { parseInput } from "@/lib/admin/errors";
import { deleteTeam, getTeam, updateTeam } from "@/lib/admin/teams";
import { updateTeamInputSchema } from "@/lib/validation/admin-teams";
import { handleAdmin, readJson, type IdParams } from "../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "teams:read", async ({ prisma, actor }) => ({ data: await getTeam(prisma, actor, id) }));
}

export async function PATCH(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "teams:write", async ({ prisma, actor }) => {
    const input = parseInput(updateTeamInputSchema, await readJson(request));
    return { data: await updateTeam(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "teams:write", async ({ prisma, actor }) => ({ data: await deleteTeam(prisma, actor, id) }));
}
