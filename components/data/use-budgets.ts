"use client";
import { useQuery } from "@tanstack/react-query";
import { apiData } from "./api-client";
import type { Alert, Budget, BudgetPeriod } from "./api-types";
import { useApiMutation } from "./use-api-mutation";

export const budgetsQueryKey = ["budgets"] as const;
export const alertsQueryKey = ["alerts"] as const;

export function useBudgets() {
  // Usage moves with every request; refetch while the page is open so the bars are live-ish.
  return useQuery({ queryKey: budgetsQueryKey, queryFn: () => apiData<Budget[]>("/api/v1/budgets"), refetchInterval: 30_000 });
}

export function useBudgetHistory(budgetId: string | null) {
  return useQuery({
    queryKey: ["budgets", budgetId ?? "", "history"],
    queryFn: () => apiData<BudgetPeriod[]>(`/api/v1/budgets/${encodeURIComponent(budgetId!)}/history`),
    enabled: budgetId !== null,
  });
}

export function useResetBudget() {
  return useApiMutation((id: string) => apiData<Budget>(`/api/v1/budgets/${encodeURIComponent(id)}/reset`, { method: "POST" }), [budgetsQueryKey]);
}

export function useAlerts() {
  return useQuery({ queryKey: alertsQueryKey, queryFn: () => apiData<Alert[]>("/api/v1/alerts?limit=200") });
}

export function useAcknowledgeAlert() {
  return useApiMutation((id: string) => apiData<Alert>(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, { method: "POST" }), [alertsQueryKey]);
}
