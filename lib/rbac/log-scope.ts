// Which request logs a principal may read (PRODUCT §8): owner/admin/viewer everything,
// a team admin their teams' logs plus their own keys', a member their own keys' only.
// Every log query (pages, /api/v1/logs, overview aggregates) applies this.
import type { PrismaClient } from "../db/client";
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
