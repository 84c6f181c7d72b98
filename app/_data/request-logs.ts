// Request log listing shared by the /logs page and GET /api/v1/logs (PRODUCT §7.4, §10):
// newest first, keyset pagination on (created_at, id) so paging stays fast however
// deep it goes, never loading bodies.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { logScopeWhere, type LogScope } from "@/lib/rbac/log-scope";

export const MAX_LOGS_LIMIT = 200;
export const DEFAULT_LOGS_LIMIT = 50;

// ───────────── cursor ─────────────

export interface LogCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients; base64url of `<ISO time>|<uuid>`. */
export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(raw: string): LogCursor | undefined {
  const [time, id, extra] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (time === undefined || id === undefined || extra !== undefined || !UUID.test(id)) return undefined;
  const createdAt = new Date(time);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time) return undefined;
  return { createdAt, id };
}

// ───────────── query validation ─────────────

const statusFilter = z.union(
  [
    z.string().regex(/^[1-5]\d\d$/).transform((s) => ({ kind: "exact" as const, status: Number(s) })),
    z.enum(["1xx", "2xx", "3xx", "4xx", "5xx"]).transform((c) => ({ kind: "class" as const, min: Number(c[0]) * 100 })),
    z.literal("error").transform(() => ({ kind: "error" as const })),
  ],
  { error: 'expected a status code (e.g. 429), a class (2xx, 4xx, 5xx) or "error"' },
);

const nonEmpty = z.string().trim().min(1).max(256);

/** Query string of GET /api/v1/logs. Unknown parameters are rejected (STYLE §6). */
export const logsQuerySchema = z
  .strictObject({
    provider: nonEmpty.optional(),
    model: nonEmpty.optional(),
    status: statusFilter.optional(),
    virtual_key: nonEmpty.optional(),
    team: nonEmpty.optional(),
    from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
    to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LOGS_LIMIT).default(DEFAULT_LOGS_LIMIT),
    cursor: z
      .string()
      .transform((raw, ctx) => {
        const cursor = decodeCursor(raw);
        if (!cursor) ctx.addIssue({ code: "custom", message: "invalid cursor; pass next_cursor from a previous page" });
        return cursor ?? z.NEVER;
      })
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "from must be before to", path: ["from"] });

export type LogsQuery = z.output<typeof logsQuerySchema>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; issues: { path: string; message: string }[] };

export function parseLogsQuery(params: URLSearchParams): ParseResult<LogsQuery> {
  const raw: Record<string, string> = {};
  const issues: { path: string; message: string }[] = [];
  for (const [key, value] of params) {
    // ?provider=a&provider=b would silently drop one filter; say so instead.
    if (key in raw) issues.push({ path: key, message: "given more than once" });
    raw[key] = value;
  }
  const parsed = logsQuerySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) issues.push({ path: key, message: "unknown query parameter" });
      } else {
        issues.push({ path: issue.path.join(".") || "(query)", message: issue.message });
      }
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, data: parsed.data };
}

// ───────────── listing ─────────────

const LIST_SELECT = {
  id: true,
  createdAt: true,
  clientApi: true,
  requestType: true,
  provider: true,
  model: true,
  requestedModel: true,
  virtualKeyId: true,
  virtualKeyName: true,
  teamName: true,
  customerName: true,
  routingRule: true,
  status: true,
  errorType: true,
  errorMessage: true,
  errorSource: true,
  isStream: true,
  latencyMs: true,
  ttftMs: true,
  inputTokens: true,
  outputTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  reasoningTokens: true,
  costUsd: true,
  cache: true,
  attemptCount: true,
  fallbackReason: true,
  tags: true,
} satisfies Prisma.RequestLogSelect;

export type RequestLogRow = Prisma.RequestLogGetPayload<{ select: typeof LIST_SELECT }>;

export interface LogsPage {
  rows: RequestLogRow[];
  nextCursor: string | null;
}

function filterWhere(query: Partial<LogsQuery>): Prisma.RequestLogWhereInput[] {
  const where: Prisma.RequestLogWhereInput[] = [];
  if (query.provider) where.push({ provider: query.provider });
  if (query.model) where.push({ model: query.model });
  if (query.virtual_key) where.push({ virtualKeyName: query.virtual_key });
  if (query.team) where.push({ teamName: query.team });
  if (query.from) where.push({ createdAt: { gte: query.from } });
  if (query.to) where.push({ createdAt: { lt: query.to } });
  const status = query.status;
  if (status?.kind === "exact") where.push({ status: status.status });
  if (status?.kind === "class") where.push({ status: { gte: status.min, lt: status.min + 100 } });
  if (status?.kind === "error") where.push({ status: { gte: 400 } });
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    where.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  return where;
}

export async function listRequestLogs(
  prisma: PrismaClient,
  scope: LogScope,
  query: Partial<LogsQuery> & { limit: number },
): Promise<LogsPage> {
  const rows = await prisma.requestLog.findMany({
    where: { AND: [logScopeWhere(scope), ...filterWhere(query)] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: LIST_SELECT,
  });
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: hasMore && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** JSON shape of one log in the admin API; field names follow the live-log object (§10). */
export function toApiLog(row: RequestLogRow) {
  return {
    id: row.id,
    timestamp: row.createdAt.toISOString(),
    status: row.status,
    client_api: row.clientApi,
    request_type: row.requestType,
    provider: row.provider,
    model: row.model,
    requested_model: row.requestedModel,
    virtual_key: row.virtualKeyName,
    virtual_key_id: row.virtualKeyId,
    team: row.teamName,
    customer: row.customerName,
    routing_rule: row.routingRule,
    stream: row.isStream,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    tokens: {
      input: row.inputTokens,
      output: row.outputTokens,
      cache_read: row.cacheReadTokens,
      cache_write: row.cacheWriteTokens,
      reasoning: row.reasoningTokens,
    },
    cost_usd: Number(row.costUsd),
    cache: row.cache,
    attempts: row.attemptCount,
    fallback_reason: row.fallbackReason,
    error: row.errorType || row.errorMessage ? { type: row.errorType, message: row.errorMessage, source: row.errorSource } : null,
    tags: row.tags,
  };
}
export type ApiLog = ReturnType<typeof toApiLog>;
