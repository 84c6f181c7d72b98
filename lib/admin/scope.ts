// What a principal may see and change beyond the permission matrix (PRODUCT §8): the matrix
// says which kinds of action a role may attempt; this file says on which rows. Team-scoped
// rights come from Membership rows (role team_admin within that team), as in log-scope.ts.
import type { Prisma } from "../db/client";
import { can } from "../rbac/permissions";
import type { Actor } from "./actor";
import { forbidden } from "./errors";
import type { Tx } from "./transaction";

type Db = Tx;

export async function teamsAdministeredBy(db: Db, actor: Actor): Promise<string[]> {
  if (actor.userId === null || actor.role !== "team_admin") return [];
  const rows = await db.membership.findMany({ where: { userId: actor.userId, role: "team_admin" }, select: { teamId: true } });
  return rows.map((m) => m.teamId);
}

export async function teamsOf(db: Db, actor: Actor): Promise<string[]> {
  if (actor.userId === null) return [];
  const rows = await db.membership.findMany({ where: { userId: actor.userId }, select: { teamId: true } });
  return rows.map((m) => m.teamId);
}

/** Keys a principal may list: all, or their own plus (team admins) their teams'. */
export async function visibleKeysWhere(db: Db, actor: Actor): Promise<Prisma.VirtualKeyWhereInput> {
  if (can(actor.role, "virtual-keys:read:all")) return {};
  const visible: Prisma.VirtualKeyWhereInput[] = [];
  if (actor.userId !== null) visible.push({ userId: actor.userId });
  const teams = await teamsAdministeredBy(db, actor);
  if (teams.length > 0) visible.push({ teamId: { in: teams } });
  return visible.length > 0 ? { OR: visible } : { id: { in: [] } };
}

/**
 * Whether the actor may create / change / rotate / revoke a key owned as given. Admins may
 * touch every key; a team admin the keys of their teams and their own; a member their own.
 */
export async function assertMayManageKey(db: Db, actor: Actor, owner: { teamId: string | null; userId: string | null }): Promise<void> {
  if (can(actor.role, "virtual-keys:write:all")) return;
  const administered = await teamsAdministeredBy(db, actor);
  if (owner.teamId !== null && administered.includes(owner.teamId)) return;
  if (actor.userId !== null && owner.userId === actor.userId) {
    // A member's own key may still only sit in a team they belong to.
    if (owner.teamId === null || (await teamsOf(db, actor)).includes(owner.teamId)) return;
    throw forbidden("You may only put keys in teams you belong to");
  }
  throw forbidden(
    actor.role === "team_admin"
      ? "Team admins may only manage keys of the teams they administer, or their own keys"
      : "You may only manage your own keys",
  );
}
