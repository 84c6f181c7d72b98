// GET /api/v1/teams (all, or the caller's teams) and POST (create). PRODUCT §5.1, §10.
import { parseInput } from "@/lib/admin/errors";
import { createTeam, listTeams } from "@/lib/admin/teams";
import { createTeamInputSchema } from "@/lib/validation/admin-teams";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "teams:read", async ({ prisma, actor }) => ({ data: await listTeams(prisma, actor) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "teams:write", async ({ prisma, actor }) => {
    const input = parseInput(createTeamInputSchema, await readJson(request));
    return { data: await createTeam(prisma, actor, input), status: 201 };
  });
}
