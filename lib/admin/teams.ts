// Teams and their members over the admin API (PRODUCT §5.1, §8).
import type { Prisma, PrismaClient } from "../db/client";
import { can } from "../rbac/permissions";
import { teamMemberResponseSchema, teamResponseSchema, type CreateTeamInput, type TeamMemberInput, type UpdateTeamInput } from "../validation/admin-teams";
import type { z } from "zod";
import type { Actor } from "./actor";
import { AdminError, forbidden, notFound } from "./errors";
import { loadLimits, replaceLimits, type LimitsResponse } from "./limits";
import { teamsAdministeredBy, teamsOf } from "./scope";
import { audit, mutate, type Tx } from "./transaction";

export type TeamResponse = z.output<typeof teamResponseSchema>;
export type TeamMemberResponse = z.output<typeof teamMemberResponseSchema>;

const TEAM_SELECT = {
  id: true,
  name: true,
  metadata: true,
  settings: true,
  createdAt: true,
  updatedAt: true,
  customer: { select: { id: true, name: true } },
  _count: { select: { memberships: true } },
} satisfies Prisma.TeamSelect;
type TeamRow = Prisma.TeamGetPayload<{ select: typeof TEAM_SELECT }>;

function toApiTeam(row: TeamRow, limits: LimitsResponse): TeamResponse {
  return teamResponseSchema.parse({
    id: row.id,
    name: row.name,
    customer: row.customer,
    metadata: row.metadata,
    settings: row.settings,
    member_count: row._count.memberships,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...limits,
  });
}

async function visibleTeamsWhere(db: Tx, actor: Actor): Promise<Prisma.TeamWhereInput> {
  if (can(actor.role, "teams:read:all")) return {};
  return { id: { in: await teamsOf(db, actor) } };
}

async function findTeam(db: Tx, actor: Actor, id: string): Promise<TeamRow> {
  const row = await db.team.findFirst({ where: { AND: [{ id }, await visibleTeamsWhere(db, actor)] }, select: TEAM_SELECT });
  if (!row) throw notFound("team", id);
  return row;
}

async function present(db: Tx, row: TeamRow): Promise<TeamResponse> {
  return toApiTeam(row, (await loadLimits(db, "team", [row.id]))(row.id));
}

export async function listTeams(prisma: PrismaClient, actor: Actor): Promise<TeamResponse[]> {
  const rows = await prisma.team.findMany({ where: await visibleTeamsWhere(prisma, actor), select: TEAM_SELECT, orderBy: { name: "asc" } });
  const limits = await loadLimits(prisma, "team", rows.map((r) => r.id));
  return rows.map((row) => toApiTeam(row, limits(row.id)));
}

export async function getTeam(prisma: PrismaClient, actor: Actor, id: string): Promise<TeamResponse> {
  return present(prisma, await findTeam(prisma, actor, id));
}

async function customerId(tx: Tx, name: string | null | undefined): Promise<string | null | undefined> {
  if (name === undefined || name === null) return name;
  const customer = await tx.customer.findUnique({ where: { name }, select: { id: true } });
  if (!customer) throw new AdminError("invalid_request", `Unknown customer "${name}"`, [{ path: "customer", message: `no customer "${name}"` }]);
  return customer.id;
}

export async function createTeam(prisma: PrismaClient, actor: Actor, input: CreateTeamInput): Promise<TeamResponse> {
  return mutate(prisma, async (tx) => {
    const created = await tx.team.create({
      data: { name: input.name, customerId: (await customerId(tx, input.customer)) ?? null, metadata: (input.metadata ?? {}) as Prisma.InputJsonValue, settings: (input.settings ?? {}) as Prisma.InputJsonValue },
      select: { id: true },
    });
    await replaceLimits(tx, { entityType: "team", entityId: created.id }, input);
    const after = await present(tx, await findTeam(tx, { ...actor, role: "admin" }, created.id));
    await audit(tx, actor, { action: "create", entityType: "team", entityId: after.id, entityName: after.name, after });
    return after;
  });
}

export async function updateTeam(prisma: PrismaClient, actor: Actor, id: string, input: UpdateTeamInput): Promise<TeamResponse> {
  return mutate(prisma, async (tx) => {
    const before = await present(tx, await findTeam(tx, actor, id));
    await tx.team.update({
      where: { id },
      data: { name: input.name, customerId: await customerId(tx, input.customer), metadata: input.metadata as Prisma.InputJsonValue | undefined, settings: input.settings as Prisma.InputJsonValue | undefined },
    });
    await replaceLimits(tx, { entityType: "team", entityId: id }, input);
    const after = await present(tx, await findTeam(tx, actor, id));
    await audit(tx, actor, { action: "update", entityType: "team", entityId: id, entityName: after.name, before, after });
    return after;
  });
}

/** Keys of a deleted team stay (team_id → NULL); its budgets and limits go with it. */
export async function deleteTeam(prisma: PrismaClient, actor: Actor, id: string): Promise<TeamResponse> {
  return mutate(prisma, async (tx) => {
    const before = await present(tx, await findTeam(tx, actor, id));
    await tx.budget.deleteMany({ where: { entityType: "team", entityId: id } });
    await tx.rateLimit.deleteMany({ where: { entityType: "team", entityId: id } });
    await tx.team.delete({ where: { id } });
    await audit(tx, actor, { action: "delete", entityType: "team", entityId: id, entityName: before.name, before });
    return before;
  });
}

// ───────────── members ─────────────

const MEMBER_SELECT = { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } } satisfies Prisma.MembershipSelect;
type MemberRow = Prisma.MembershipGetPayload<{ select: typeof MEMBER_SELECT }>;

function toApiMember(row: MemberRow): TeamMemberResponse {
  return teamMemberResponseSchema.parse({
    user_id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    added_at: row.createdAt.toISOString(),
  });
}

export async function listTeamMembers(prisma: PrismaClient, actor: Actor, teamId: string): Promise<TeamMemberResponse[]> {
  await findTeam(prisma, actor, teamId);
  const rows = await prisma.membership.findMany({ where: { teamId }, select: MEMBER_SELECT, orderBy: { createdAt: "asc" } });
  return rows.map(toApiMember);
}

/** Admins manage every team's members; a team admin only the teams they administer. */
async function assertMayManageMembers(tx: Tx, actor: Actor, teamId: string): Promise<void> {
  if (can(actor.role, "teams:write")) return;
  if ((await teamsAdministeredBy(tx, actor)).includes(teamId)) return;
  throw forbidden("Team admins may only manage the members of the teams they administer");
}

/** Adds a member, or changes the role of an existing one (idempotent PUT-like POST). */
export async function addTeamMember(prisma: PrismaClient, actor: Actor, teamId: string, input: TeamMemberInput): Promise<TeamMemberResponse> {
  return mutate(prisma, async (tx) => {
    const team = await tx.team.findUnique({ where: { id: teamId }, select: { name: true } });
    if (!team) throw notFound("team", teamId);
    await assertMayManageMembers(tx, actor, teamId);
    const user = await tx.user.findUnique({ where: { email: input.user }, select: { id: true } });
    if (!user) throw new AdminError("invalid_request", `No dashboard user with email "${input.user}"`, [{ path: "user", message: "unknown user" }]);
    const existing = await tx.membership.findUnique({ where: { userId_teamId: { userId: user.id, teamId } }, select: MEMBER_SELECT });
    const row = await tx.membership.upsert({
      where: { userId_teamId: { userId: user.id, teamId } },
      create: { userId: user.id, teamId, role: input.role },
      update: { role: input.role },
      select: MEMBER_SELECT,
    });
    const after = toApiMember(row);
    await audit(tx, actor, {
      action: existing ? "update_member" : "add_member",
      entityType: "team",
      entityId: teamId,
      entityName: team.name,
      before: existing ? toApiMember(existing) : undefined,
      after,
    });
    return after;
  });
}

export async function removeTeamMember(prisma: PrismaClient, actor: Actor, teamId: string, user: string): Promise<TeamMemberResponse> {
  return mutate(prisma, async (tx) => {
    const team = await tx.team.findUnique({ where: { id: teamId }, select: { name: true } });
    if (!team) throw notFound("team", teamId);
    await assertMayManageMembers(tx, actor, teamId);
    // `user` is an email or a user id, whichever the caller has at hand.
    const row = await tx.membership.findFirst({ where: { teamId, user: { OR: [{ email: user }, { id: user }] } }, select: MEMBER_SELECT });
    if (!row) throw new AdminError("not_found", `"${user}" is not a member of team "${team.name}"`);
    await tx.membership.delete({ where: { userId_teamId: { userId: row.user.id, teamId } } });
    const before = toApiMember(row);
    await audit(tx, actor, { action: "remove_member", entityType: "team", entityId: teamId, entityName: team.name, before });
    return before;
  });
}
