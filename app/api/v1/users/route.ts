// GET /api/v1/users: every dashboard user with role, status and teams. POST invites one:
// {email, name?, role, teams?: [{team, role}]} → the user and a one-time invite_url (201).
import { parseInput } from "@/lib/admin/errors";
import { inviteUser, listUsers } from "@/lib/admin/users";
import { inviteUserInputSchema } from "@/lib/validation/admin-users";
import { handleAdmin, readJson } from "../_lib/admin-handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleAdmin(request, "users:read", async ({ prisma }) => ({ data: await listUsers(prisma) }));
}

export async function POST(request: Request): Promise<Response> {
  return handleAdmin(request, "users:write", async ({ prisma, actor }) => {
    const input = parseInput(inviteUserInputSchema, await readJson(request));
    return { data: await inviteUser(prisma, actor, input, new URL(request.url)), status: 201 };
  });
}
