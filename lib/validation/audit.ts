// Query string of GET /api/v1/audit-log (PRODUCT §8: audit log of every admin change), and
// the entry shape it answers. Newest first, keyset-paginated on (created_at, id): an offset
// would skip or repeat rows while admins keep changing things.
import { z } from "zod";

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

export interface AuditCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<ISO time>|<id>`. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeAuditCursor(raw: string): AuditCursor | null {
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar < 0) return null;
  const createdAt = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (Number.isNaN(createdAt.getTime()) || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  return { createdAt, id };
}

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const filterText = z.string().trim().min(1, { error: "must not be empty" }).max(256);

export const auditQuerySchema = z
  .strictObject({
    /** Case-insensitive substring of the actor label (an email, "admin-token", "config-apply"). */
    actor: filterText.optional(),
    entity_type: filterText.optional(),
    action: filterText.optional(),
    entity_id: filterText.optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
    cursor: z
      .string()
      .transform((raw, ctx) => {
        const cursor = decodeAuditCursor(raw);
        if (!cursor) ctx.addIssue({ code: "custom", message: "invalid cursor; pass next_cursor from a previous page" });
        return cursor ?? z.NEVER;
      })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
  });
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const auditEntryResponseSchema = z.strictObject({
  id: z.string(),
  created_at: z.string(),
  actor: z.strictObject({ user_id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string().nullable(),
  entity_name: z.string().nullable(),
  before: z.json().nullable(),
  after: z.json().nullable(),
});
export type AuditEntryResponse = z.output<typeof auditEntryResponseSchema>;

export interface AuditPage {
  data: AuditEntryResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}
