// Dashboard users (PRODUCT §8 "teams and members (invite, roles)"): list them, and invite a
// new one by email with an org role and team memberships. An invitation creates the user
// without a password and answers a one-time link (lib/auth/invites.ts) that the admin passes
// on; until it is used the user can only sign in through OIDC (linked by verified email).
import type { Prisma, PrismaClient } from "../db/client";
import { issueInvite } from "../auth/invites";
import { userResponseSchema, type InvitationResponse, type InviteUserInput, type UserResponse } from "../validation/admin-users";
import type { Actor } from "./actor";
import { AdminError, forbidden, notFound } from "./errors";
import { audit, mutate } from "./transaction";

const USER_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  passwordHash: true,
  disabledAt: true,
  lastLoginAt: true,
  createdAt: true,
  accounts: { select: { id: true }, take: 1 },
  memberships: { select: { role: true, team: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" as const } },
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;

function toApiUser(row: UserRow): UserResponse {
  // Parsed, as for team members: a stored role outside the API's enums fails loudly here.
  // Never the password hash: only whether the user has a way to sign in yet.
  const status: UserResponse["status"] = row.disabledAt ? "disabled" : row.passwordHash || row.accounts.length > 0 ? "active" : "invited";
  return userResponseSchema.parse({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status,
    teams: row.memberships.map((m) => ({ id: m.team.id, name: m.team.name, role: m.role })),
    last_login_at: row.lastLoginAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  });
}

export async function listUsers(prisma: PrismaClient): Promise<UserResponse[]> {
  const rows = await prisma.user.findMany({ select: USER_SELECT, orderBy: { createdAt: "asc" } });
  return rows.map(toApiUser);
}

/** Where the dashboard is reached: NEXTAUTH_URL when set, else the origin of the request. */
function dashboardOrigin(requestUrl: URL): string {
  return (process.env.NEXTAUTH_URL || requestUrl.origin).replace(/\/+$/, "");
}

export async function inviteUser(prisma: PrismaClient, actor: Actor, input: InviteUserInput, requestUrl: URL): Promise<InvitationResponse> {
  if (input.role === "owner" && actor.role !== "owner") throw forbidden("Only an owner may invite another owner");
  return mutate(prisma, async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) throw new AdminError("conflict", `A user with email "${input.email}" already exists; add them to a team instead, or re-send their invitation`, [{ path: "email", message: "already a user" }]);
    const teams = await tx.team.findMany({ where: { name: { in: input.teams.map((t) => t.team) } }, select: { id: true, name: true } });
    const missing = input.teams.filter((t) => !teams.some((team) => team.name === t.team));
    if (missing.length > 0) {
      throw new AdminError("invalid_request", `Unknown team${missing.length > 1 ? "s" : ""}: ${missing.map((t) => t.team).join(", ")}`, missing.map((t) => ({ path: `teams.${input.teams.indexOf(t)}.team`, message: "unknown team" })));
    }
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        memberships: { create: input.teams.map((t) => ({ teamId: teams.find((team) => team.name === t.team)!.id, role: t.role })) },
      },
      select: USER_SELECT,
    });
    const invite = await issueInvite(tx, user.id, actor.label);
    const after = toApiUser(user);
    await audit(tx, actor, { action: "invite", entityType: "user", entityId: user.id, entityName: user.email, after });
    return { user: after, invite_url: `${dashboardOrigin(requestUrl)}/invite?token=${encodeURIComponent(invite.token)}`, expires_at: invite.expiresAt.toISOString() };
  });
}

/** A new link for a user who has not set a password yet (the old links stop working). */
export async function reissueInvite(prisma: PrismaClient, actor: Actor, userId: string, requestUrl: URL): Promise<InvitationResponse> {
  return mutate(prisma, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: USER_SELECT });
    if (!user) throw notFound("user", userId);
    const current = toApiUser(user);
    if (current.status !== "invited") throw new AdminError("conflict", `${user.email} can already sign in; there is nothing to re-send`);
    if (user.role === "owner" && actor.role !== "owner") throw forbidden("Only an owner may re-invite an owner");
    const invite = await issueInvite(tx, user.id, actor.label);
    await audit(tx, actor, { action: "reinvite", entityType: "user", entityId: user.id, entityName: user.email, after: current });
    return { user: current, invite_url: `${dashboardOrigin(requestUrl)}/invite?token=${encodeURIComponent(invite.token)}`, expires_at: invite.expiresAt.toISOString() };
  });
}
