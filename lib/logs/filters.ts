// The WHERE clause of the log search (PRODUCT §7.4) as parameterized SQL fragments.
// Raw SQL rather than Prisma's query builder because full-text search must spell the exact
// expression of the GIN index (to_tsvector('simple', coalesce(search_text, ''))) for the
// planner to use it, and tags use the array operators of the tags GIN index.
import { Prisma, type PrismaClient } from "../db/client";
import { logScopeSql, type LogScope } from "../rbac/log-scope";
import type { LogFilters } from "../validation/logs";
import { isUuid } from "../validation/logs";

/**
 * A key, team or customer filter given as an id or a name, resolved to ids up front so the
 * query hits the (id, created_at) indexes; logs keep the id even after a rename.
 * `ids` is empty when nothing matched (e.g. a deleted entity), and then the stored name /
 * id columns are compared directly.
 */
export interface ResolvedEntity {
  value: string;
  ids: string[];
}

export interface ResolvedFilters {
  virtualKey?: ResolvedEntity;
  team?: ResolvedEntity;
  customer?: ResolvedEntity;
}

export async function resolveEntityFilters(prisma: PrismaClient, filters: LogFilters): Promise<ResolvedFilters> {
  const byIdOrName = (value: string) => ({ OR: [{ id: value }, { name: value }] });
  const [virtualKey, team, customer] = await Promise.all([
    filters.virtual_key ? prisma.virtualKey.findMany({ where: byIdOrName(filters.virtual_key), select: { id: true } }) : undefined,
    filters.team ? prisma.team.findMany({ where: byIdOrName(filters.team), select: { id: true } }) : undefined,
    filters.customer ? prisma.customer.findMany({ where: byIdOrName(filters.customer), select: { id: true } }) : undefined,
  ]);
  const resolved: ResolvedFilters = {};
  if (filters.virtual_key && virtualKey) resolved.virtualKey = { value: filters.virtual_key, ids: virtualKey.map((r) => r.id) };
  if (filters.team && team) resolved.team = { value: filters.team, ids: team.map((r) => r.id) };
  if (filters.customer && customer) resolved.customer = { value: filters.customer, ids: customer.map((r) => r.id) };
  return resolved;
}

function entitySql(entity: ResolvedEntity, idColumn: Prisma.Sql, nameColumn: Prisma.Sql): Prisma.Sql {
  if (entity.ids.length > 0) return Prisma.sql`${idColumn} IN (${Prisma.join(entity.ids)})`;
  return Prisma.sql`(${idColumn} = ${entity.value} OR ${nameColumn} = ${entity.value})`;
}

/** Every condition of the search, ANDed; includes the caller's RBAC scope and the cursor. */
export function logFilterSql(scope: LogScope, filters: LogFilters, resolved: ResolvedFilters): Prisma.Sql {
  const where: Prisma.Sql[] = [logScopeSql(scope)];
  // Time bounds first: they are what prunes the daily partitions.
  if (filters.from) where.push(Prisma.sql`created_at >= ${filters.from}::timestamptz`);
  if (filters.to) where.push(Prisma.sql`created_at < ${filters.to}::timestamptz`);
  if (filters.cursor) {
    // Row comparison matches the (created_at DESC, id DESC) index order exactly.
    where.push(Prisma.sql`(created_at, id) < (${filters.cursor.createdAt}::timestamptz, ${filters.cursor.id}::uuid)`);
  }
  if (filters.provider) where.push(Prisma.sql`provider = ${filters.provider}`);
  if (filters.model) where.push(Prisma.sql`model = ${filters.model}`);
  if (resolved.virtualKey) where.push(entitySql(resolved.virtualKey, Prisma.sql`virtual_key_id`, Prisma.sql`virtual_key_name`));
  if (resolved.team) where.push(entitySql(resolved.team, Prisma.sql`team_id`, Prisma.sql`team_name`));
  if (resolved.customer) where.push(entitySql(resolved.customer, Prisma.sql`customer_id`, Prisma.sql`customer_name`));
  const status = filters.status;
  if (status?.kind === "exact") where.push(Prisma.sql`status = ${status.status}`);
  if (status?.kind === "class") where.push(Prisma.sql`status >= ${status.min} AND status < ${status.min + 100}`);
  if (status?.kind === "error") where.push(Prisma.sql`status >= 400`);
  if (filters.cache === "hit") where.push(Prisma.sql`cache IN ('hit-exact', 'hit-semantic')`);
  else if (filters.cache) where.push(Prisma.sql`cache = ${filters.cache}`);
  if (filters.routing_rule) where.push(Prisma.sql`routing_rule = ${filters.routing_rule}`);
  if (filters.tags) {
    where.push(
      filters.tags_match === "any" ? Prisma.sql`tags && ${filters.tags}::text[]` : Prisma.sql`tags @> ${filters.tags}::text[]`,
    );
  }
  if (filters.min_latency_ms !== undefined) where.push(Prisma.sql`latency_ms >= ${filters.min_latency_ms}`);
  if (filters.max_latency_ms !== undefined) where.push(Prisma.sql`latency_ms <= ${filters.max_latency_ms}`);
  // Costs compare as numeric, never as floats, so a bound equal to a stored cost matches it.
  if (filters.min_cost_usd !== undefined) where.push(Prisma.sql`cost_usd >= ${String(filters.min_cost_usd)}::numeric`);
  if (filters.max_cost_usd !== undefined) where.push(Prisma.sql`cost_usd <= ${String(filters.max_cost_usd)}::numeric`);
  if (filters.min_tokens !== undefined) where.push(Prisma.sql`(input_tokens + output_tokens) >= ${filters.min_tokens}::bigint`);
  if (filters.max_tokens !== undefined) where.push(Prisma.sql`(input_tokens + output_tokens) <= ${filters.max_tokens}::bigint`);
  if (filters.is_stream !== undefined) where.push(Prisma.sql`is_stream = ${filters.is_stream}`);
  if (filters.error_type) where.push(Prisma.sql`error_type = ${filters.error_type}`);
  if (filters.q) {
    // websearch_to_tsquery never raises on user syntax ("quoted phrase", or, -not).
    const text = Prisma.sql`to_tsvector('simple', coalesce(search_text, '')) @@ websearch_to_tsquery('simple', ${filters.q})`;
    where.push(isUuid(filters.q) ? Prisma.sql`(id = ${filters.q}::uuid OR ${text})` : text);
  }
  return Prisma.join(where, " AND ");
}
