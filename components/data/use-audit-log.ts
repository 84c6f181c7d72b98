"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { AuditEntryResponse, AuditPage } from "@/lib/validation/audit";
import { apiData, apiRequest } from "./api-client";
import { useApiMutation } from "./use-api-mutation";

export type AuditEntry = AuditEntryResponse;

export interface AuditFilters {
  actor: string;
  entityType: string;
  /** One entity's history (set from a "History" link; no form field). */
  entityId?: string;
  action: string;
  /** `YYYY-MM-DD` from a date input (UTC day), or "". */
  fromDay: string;
  toDay: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { actor: "", entityType: "", action: "", fromDay: "", toDay: "" };

/** Filters → the API's query string; the `to` day is inclusive for the user, exclusive for the API. */
export function auditQueryString(filters: AuditFilters, cursor: string | null, limit = 50): string {
  const params = new URLSearchParams();
  if (filters.actor.trim()) params.set("actor", filters.actor.trim());
  if (filters.entityType) params.set("entity_type", filters.entityType);
  if (filters.entityId) params.set("entity_id", filters.entityId);
  if (filters.action) params.set("action", filters.action);
  if (filters.fromDay) params.set("from", `${filters.fromDay}T00:00:00.000Z`);
  if (filters.toDay) {
    const end = new Date(`${filters.toDay}T00:00:00.000Z`);
    if (!Number.isNaN(end.getTime())) params.set("to", new Date(end.getTime() + 86_400_000).toISOString());
  }
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit-log", filters],
    queryFn: ({ pageParam }) => apiRequest<AuditPage>(`/api/v1/audit-log?${auditQueryString(filters, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useAuditFacets() {
  return useQuery({ queryKey: ["audit-log", "facets"], queryFn: () => apiData<{ entity_types: string[]; actions: string[] }>("/api/v1/audit-log/facets") });
}

export const REVERTIBLE_ENTITY_TYPES: readonly string[] = ["routing_rule", "virtual_key"];

/** Rolls back one change (POST /api/v1/audit-log/:id/revert); rules, keys and the log refresh. */
export function useRevertChange() {
  return useApiMutation(
    (auditId: string) => apiData<{ reverted: { entity_type: string; action: string } }>(`/api/v1/audit-log/${encodeURIComponent(auditId)}/revert`, { method: "POST" }),
    [["audit-log"], ["routing-rules"], ["virtual-keys"], ["budgets"]],
  );
}
