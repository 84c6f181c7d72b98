// GET / POST / DELETE /api/v1/teams/:id/members. POST {user: email, role} adds a member or
// changes their role; DELETE ?user=<email or id> removes one.
import { AdminError, parseInput } from "@/lib/admin/errors";
import { addTeamMember, listTeamMembers, removeTeamMember } from "@/lib/admin/teams";
import { teamMemberInputSchema } from "@/lib/validation/admin-teams";
import { handleAdmin, readJson, type IdParams } from "../../../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "teams:read", async ({ prisma, actor }) => ({ data: await listTeamMembers(prisma, actor, id) }));
}

export async function POST(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "members:write", async ({ prisma, actor }) => {
    const input = parseInput(teamMemberInputSchema, await readJson(request));
    return { data: await addTeamMember(prisma, actor, id, input) };
  });
}

export async function DELETE(request: Request, { params }: IdParams): Promise<Response> {
  const { id } = await params;
  return handleAdmin(request, "members:write", async ({ prisma, actor }) => {
    const user = new URL(request.url).searchParams.get("user");
    if (!user) throw new AdminError("invalid_request", "Query parameter user (email or id) is required", [{ path: "user", message: "required" }]);
    return { data: await removeTeamMember(prisma, actor, id, user) };
  });
}
