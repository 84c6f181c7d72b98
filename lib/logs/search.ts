// Request log search (PRODUCT §7.4): newest first, keyset pagination on (created_at, id)
// so any page costs the same however deep it is, and list rows never carry bodies
// (those live in request_log_bodies and are read only by getLogDetail).
import { Prisma, type PrismaClient } from "../db/client";
import { logScopeWhere, type LogScope } from "../rbac/log-scope";
import type { LogFilters } from "../validation/logs";
import { encodeCursor } from "./cursor";
import { logFilterSql, resolveEntityFilters, type ResolvedFilters } from "./filters";

/** Without `from` or a cursor the search looks back this far, so partition pruning always applies. */
export const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600_000;

export interface RequestLogRow {
  id: string;
  createdAt: Date;
  clientApi: string;
  requestType: string;
  provider: string | null;
  model: string | null;
  requestedModel: string | null;
  virtualKeyId: string | null;
  virtualKeyName: string | null;
  teamName: string | null;
  customerName: string | null;
  routingRule: string | null;
  status: number;
  errorType: string | null;
  errorMessage: string | null;
  errorSource: string | null;
  isStream: boolean;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: Prisma.Decimal;
  cache: string;
  attemptCount: number;
  fallbackReason: string | null;
  tags: string[];
}

interface RawListRow {
  id: string;
  created_at: Date;
  client_api: string;
  request_type: string;
  provider: string | null;
  model: string | null;
  requested_model: string | null;
  virtual_key_id: string | null;
  virtual_key_name: string | null;
  team_name: string | null;
  customer_name: string | null;
  routing_rule: string | null;
  status: number;
  error_type: string | null;
  error_message: string | null;
  error_source: string | null;
  is_stream: boolean;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: Prisma.Decimal | string | number;
  cache: string;
  attempt_count: number;
  fallback_reason: string | null;
  tags: string[] | null;
}

// The list columns only: bodies, attempts, metadata and search_text stay out of list pages.
const LIST_COLUMNS = Prisma.sql`id, created_at, client_api, request_type, provider, model, requested_model,
  virtual_key_id, virtual_key_name, team_name, customer_name, routing_rule, status, error_type, error_message,
  error_source, is_stream, latency_ms, ttft_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  reasoning_tokens, cost_usd, cache, attempt_count, fallback_reason, tags`;

function toRow(r: RawListRow): RequestLogRow {
  return {
    id: r.id,
    createdAt: r.created_at,
    clientApi: r.client_api,
    requestType: r.request_type,
    provider: r.provider,
    model: r.model,
    requestedModel: r.requested_model,
    virtualKeyId: r.virtual_key_id,
    virtualKeyName: r.virtual_key_name,
    teamName: r.team_name,
    customerName: r.customer_name,
    routingRule: r.routing_rule,
    status: r.status,
    errorType: r.error_type,
    errorMessage: r.error_message,
    errorSource: r.error_source,
    isStream: r.is_stream,
    latencyMs: r.latency_ms,
    ttftMs: r.ttft_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheReadTokens: r.cache_read_tokens,
    cacheWriteTokens: r.cache_write_tokens,
    reasoningTokens: r.reasoning_tokens,
    costUsd: r.cost_usd instanceof Prisma.Decimal ? r.cost_usd : new Prisma.Decimal(r.cost_usd),
    cache: r.cache,
    attemptCount: r.attempt_count,
    fallbackReason: r.fallback_reason,
    tags: r.tags ?? [],
  };
}

export interface LogsPage {
  rows: RequestLogRow[];
  nextCursor: string | null;
}

/**
 * The documented default time bound of the API: without `from`, only the last 7 days are
 * searched, so every query prunes to a week of daily partitions. It applies to follow-up
 * pages too (a cursor without `from`): otherwise page 2 of "the last 7 days" would walk on
 * into older data than page 1 promised. Pass `from` explicitly to page further back.
 */
export function withDefaultTimeBound<T extends LogFilters>(filters: T, now: Date = new Date()): T {
  if (filters.from) return filters;
  return { ...filters, from: new Date(now.getTime() - DEFAULT_LOOKBACK_MS) };
}

async function fetchPage(prisma: PrismaClient, scope: LogScope, filters: LogFilters, resolved: ResolvedFilters, limit: number): Promise<LogsPage> {
  const raw = await prisma.$queryRaw<RawListRow[]>`
    SELECT ${LIST_COLUMNS}
      FROM request_logs
     WHERE ${logFilterSql(scope, filters, resolved)}
     ORDER BY created_at DESC, id DESC
     LIMIT ${limit + 1}`;
  const rows = raw.map(toRow);
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: hasMore && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** One page of logs visible to `scope`. Callers decide on the default time bound (see withDefaultTimeBound). */
export async function searchLogs(prisma: PrismaClient, scope: LogScope, filters: LogFilters & { limit: number }): Promise<LogsPage> {
  return fetchPage(prisma, scope, filters, await resolveEntityFilters(prisma, filters), filters.limit);
}

/**
 * Every matching row, newest first, in keyset pages of `pageSize`, up to `max` rows; for
 * the CSV export, which streams instead of holding 100k rows in memory.
 */
export async function* iterateLogs(
  prisma: PrismaClient,
  scope: LogScope,
  filters: LogFilters,
  max: number,
  pageSize = 1000,
): AsyncGenerator<RequestLogRow[]> {
  const resolved = await resolveEntityFilters(prisma, filters);
  let cursor = filters.cursor;
  let remaining = max;
  while (remaining > 0) {
    const page = await fetchPage(prisma, scope, { ...filters, cursor }, resolved, Math.min(pageSize, remaining));
    if (page.rows.length > 0) yield page.rows;
    remaining -= page.rows.length;
    const last = page.rows.at(-1);
    if (!page.nextCursor || !last) return;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
}

// ───────────── one record ─────────────

export interface LogBody {
  requestBody: string | null;
  responseBody: string | null;
  truncated: boolean;
}

export type RequestLogDetail = Prisma.RequestLogGetPayload<object> & { body: LogBody | null };

/**
 * The full record of one log if `scope` may see it (else null, which callers answer with
 * 404 so that ids of other teams' requests are not confirmed). Bodies only when asked for:
 * they are already redacted at write time, but not every role may read them.
 */
export async function getLogDetail(
  prisma: PrismaClient,
  scope: LogScope,
  id: string,
  options: { withBody: boolean },
): Promise<RequestLogDetail | null> {
  const log = await prisma.requestLog.findFirst({ where: { AND: [{ id }, logScopeWhere(scope)] } });
  if (!log) return null;
  if (!options.withBody) return { ...log, body: null };
  // created_at is part of the key, so this lookup touches a single partition.
  const body = await prisma.requestLogBody.findUnique({
    where: { logId_createdAt: { logId: log.id, createdAt: log.createdAt } },
    select: { requestBody: true, responseBody: true, truncated: true },
  });
  return { ...log, body };
}
