// Request log listing shared by the /logs page and GET /api/v1/logs (PRODUCT §7.4, §10).
// The search itself (filters, keyset pagination on (created_at, id), no bodies in lists)
// lives in lib/logs so that it stays React-free; this module keeps the names the page and
// the route import.
import type { PrismaClient } from "@/lib/db/client";
import type { LogScope } from "@/lib/rbac/log-scope";
import { searchLogs, type LogsPage } from "@/lib/logs/search";
import type { LogFilters } from "@/lib/validation/logs";

export { decodeCursor, encodeCursor, type LogCursor } from "@/lib/logs/cursor";
export {
  DEFAULT_LOGS_LIMIT,
  MAX_LOGS_LIMIT,
  logsQuerySchema,
  parseLogsQuery,
  type LogsQuery,
  type LogFilters,
} from "@/lib/validation/logs";
export type { ParseResult } from "@/lib/validation/query-params";
export { toApiLog, type ApiLog } from "@/lib/logs/api-shape";
export type { LogsPage, RequestLogRow } from "@/lib/logs/search";

/**
 * One page of logs visible to `scope`, newest first. No implicit time bound here: the
 * page walks back by cursor; GET /api/v1/logs adds its documented 7-day default.
 */
export async function listRequestLogs(prisma: PrismaClient, scope: LogScope, query: LogFilters & { limit: number }): Promise<LogsPage> {
  return searchLogs(prisma, scope, query);
}
