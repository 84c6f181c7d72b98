// Reading the audit log (written by `audit()` in ./transaction.ts and by config apply).
// Scope: owners and admins only (audit:read) — entries hold before/after snapshots of every
// entity, so there is no per-team view of them.
import type { Prisma, PrismaClient } from "../db/client";
import { AUDIT_PAGE_DEFAULT, auditEntryResponseSchema, encodeAuditCursor, type AuditEntryResponse, type AuditPage, type AuditQuery } from "../validation/audit";

type AuditRow = Prisma.AuditLogGetPayload<object>;

function toApiEntry(row: AuditRow): AuditEntryResponse {
  return auditEntryResponseSchema.parse({
    id: row.id,
    created_at: row.createdAt.toISOString(),
    actor: { user_id: row.actorUserId, label: row.actorLabel },
    action: row.action,
    entity_type: row.entityType,
    entity_id: row.entityId,
    entity_name: row.entityName,
    before: row.before ?? null,
    after: row.after ?? null,
  });
}

export async function listAuditLog(prisma: PrismaClient, query: AuditQuery): Promise<AuditPage> {
  const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
  const and: Prisma.AuditLogWhereInput[] = [];
  if (query.actor) and.push({ actorLabel: { contains: query.actor, mode: "insensitive" } });
  if (query.entity_type) and.push({ entityType: query.entity_type });
  if (query.action) and.push({ action: query.action });
  if (query.entity_id) and.push({ entityId: query.entity_id });
  if (query.from) and.push({ createdAt: { gte: query.from } });
  if (query.to) and.push({ createdAt: { lt: query.to } });
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    // Strictly older than the last row of the previous page, ties on the timestamp by id.
    and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  const rows = await prisma.auditLog.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(toApiEntry), next_cursor: rows.length > limit && last ? encodeAuditCursor(last) : null };
}

/** The distinct entity types and actions present, for the filter dropdowns. */
export async function auditFacets(prisma: PrismaClient): Promise<{ entity_types: string[]; actions: string[] }> {
  const [types, actions] = await Promise.all([
    prisma.auditLog.findMany({ distinct: ["entityType"], select: { entityType: true }, orderBy: { entityType: "asc" } }),
    prisma.auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return { entity_types: types.map((t) => t.entityType), actions: actions.map((a) => a.action) };
}
