"use client";
import { useQuery } from "@tanstack/react-query";
import type { CreateRoutingRuleInput, ExplainRequestInput, UpdateRoutingRuleInput } from "@/lib/validation/admin-routing-rules";
import { apiData, apiRequest } from "./api-client";
import type { RouteExplanation, RoutingRule } from "./api-types";
import { useApiMutation } from "./use-api-mutation";

export const routingRulesQueryKey = ["routing-rules"] as const;

export function useRoutingRules() {
  return useQuery({ queryKey: routingRulesQueryKey, queryFn: () => apiData<RoutingRule[]>("/api/v1/routing-rules") });
}

export function useSaveRoutingRule() {
  return useApiMutation(
    ({ id, input }: { id: string | null; input: CreateRoutingRuleInput | UpdateRoutingRuleInput }) =>
      id === null
        ? apiData<RoutingRule>("/api/v1/routing-rules", { method: "POST", body: input })
        : apiData<RoutingRule>(`/api/v1/routing-rules/${encodeURIComponent(id)}`, { method: "PATCH", body: input }),
    [routingRulesQueryKey],
  );
}

export function useDeleteRoutingRule() {
  return useApiMutation((id: string) => apiData<unknown>(`/api/v1/routing-rules/${encodeURIComponent(id)}`, { method: "DELETE" }), [routingRulesQueryKey]);
}

export function useReorderRoutingRules() {
  return useApiMutation((ids: string[]) => apiData<RoutingRule[]>("/api/v1/routing-rules/reorder", { method: "POST", body: { ids } }), [routingRulesQueryKey]);
}

/** The gateway's JSON is answered as is (not wrapped in `data`). */
export function useExplainRoute() {
  return useApiMutation((input: ExplainRequestInput) => apiRequest<RouteExplanation>("/api/v1/routing/explain", { method: "POST", body: input }), []);
}
