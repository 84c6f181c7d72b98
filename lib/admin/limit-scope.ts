// Which budgets and rate limits a principal may read and write (PRODUCT §8). Both kinds of
// limit share the budgets:* actions: the dashboard shows them on one "budgets and limits" page.
import type { Prisma } from "../db/client";
import type { LimitEntity } from "../db/generated/enums";
import { can } from "../rbac/permissions";
import type { Actor } from "./actor";
import { forbidden } from "./errors";
import { teamsAdministeredBy, teamsOf, visibleKeysWhere } from "./scope";
import type { Tx } from "./transaction";

type LimitWhere = { OR: { entityType: LimitEntity; entityId: { in: string[] } }[] } | Record<string, never>;

/** Own keys' limits, (team admins) their teams' keys', and the teams one belongs to. */
export async function visibleLimitsWhere(db: Tx, actor: Actor): Promise<LimitWhere & Prisma.BudgetWhereInput & Prisma.RateLimitWhereInput> {
  if (can(actor.role, "budgets:read:all")) return {};
  const keys = await db.virtualKey.findMany({ where: await visibleKeysWhere(db, actor), select: { id: true } });
  return {
    OR: [
      { entityType: "virtual_key", entityId: { in: keys.map((k) => k.id) } },
      { entityType: "team", entityId: { in: await teamsOf(db, actor) } },
      { entityType: "user", entityId: { in: actor.userId === null ? [] : [actor.userId] } },
    ],
  };
}

/**
 * Admins set limits anywhere; a team admin only on keys of the teams they administer.
 * Returns the key's team, against whose budgets the caller checks a new key budget.
 */
export async function assertMayWriteLimitsOf(
  tx: Tx,
  actor: Actor,
  owner: { entityType: LimitEntity; entityId: string },
): Promise<{ constrainedByTeam: string | null }> {
  if (can(actor.role, "budgets:write:all")) return { constrainedByTeam: null };
  if (owner.entityType === "virtual_key") {
    const key = await tx.virtualKey.findUnique({ where: { id: owner.entityId }, select: { teamId: true } });
    if (key?.teamId && (await teamsAdministeredBy(tx, actor)).includes(key.teamId)) return { constrainedByTeam: key.teamId };
  }
  throw forbidden("Team admins may only set budgets and limits on keys of the teams they administer");
}
