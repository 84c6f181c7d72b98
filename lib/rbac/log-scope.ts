// Which request logs a principal may read (PRODUCT §8): owner/admin/viewer everything,
// a team admin their teams' logs plus their own keys', a member their own keys' only.
// Every log query (pages, /api/v1/logs, overview aggregates) applies this.
import { Prisma, type PrismaClient } from "../db/client";
import type { Principal } from "./guard";
import { can } from "./permissions";

export type LogScope = { kind: "all" } | { kind: "restricted"; virtualKeyIds: string[]; teamIds: string[] };

export async function logScopeFor(prisma: PrismaClient, principal: Principal): Promise<LogScope> {
  if (can(principal.role, "logs:read:all")) return { kind: "all" };
  if (principal.kind !== "user") return { kind: "restricted", virtualKeyIds: [], teamIds: [] };
  const [keys, adminOf] = await Promise.all([
    prisma.virtualKey.findMany({ where: { userId: principal.userId }, select: { id: true } }),
    principal.role === "team_admin"
      ? prisma.membership.findMany({ where: { userId: principal.userId, role: "team_admin" }, select: { teamId: true } })
      : Promise.resolve([]),
  ]);
  return { kind: "restricted", virtualKeyIds: keys.map((k) => k.id), teamIds: adminOf.map((m) => m.teamId) };
}

/** The Prisma filter for a scope; a restricted principal with nothing to see matches no row. */
export function logScopeWhere(scope: LogScope): Prisma.RequestLogWhereInput {
  if (scope.kind === "all") return {};
  const visible: Prisma.RequestLogWhereInput[] = [];
  if (scope.virtualKeyIds.length > 0) visible.push({ virtualKeyId: { in: scope.virtualKeyIds } });
  if (scope.teamIds.length > 0) visible.push({ teamId: { in: scope.teamIds } });
  return visible.length > 0 ? { OR: visible } : { virtualKeyId: { in: [] } };
}

/** The same filter as SQL over request_logs, for aggregate queries Prisma cannot express. */
export function logScopeSql(scope: LogScope): Prisma.Sql {
  if (scope.kind === "all") return Prisma.sql`TRUE`;
  const parts: Prisma.Sql[] = [];
  if (scope.virtualKeyIds.length > 0) parts.push(Prisma.sql`virtual_key_id IN (${Prisma.join(scope.virtualKeyIds)})`);
  if (scope.teamIds.length > 0) parts.push(Prisma.sql`team_id IN (${Prisma.join(scope.teamIds)})`);
  return parts.length > 0 ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : Prisma.sql`FALSE`;
}
