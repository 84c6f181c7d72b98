"use client";
import { useQuery } from "@tanstack/react-query";
import type { PricingOverrideInput, PricingOverrideResponse } from "@/lib/validation/pricing";
import { apiData } from "./api-client";
import { useApiMutation } from "./use-api-mutation";

export type PricingOverride = PricingOverrideResponse;

export const pricingQueryKey = ["pricing"] as const;

export function usePricingOverrides() {
  return useQuery({ queryKey: pricingQueryKey, queryFn: () => apiData<PricingOverride[]>("/api/v1/pricing") });
}

/** Creates the override, or replaces the one with the same model. */
export function useSavePricingOverride() {
  return useApiMutation((input: PricingOverrideInput) => apiData<PricingOverride>("/api/v1/pricing", { method: "POST", body: input }), [pricingQueryKey]);
}

export function useDeletePricingOverride() {
  return useApiMutation((id: string) => apiData<PricingOverride>(`/api/v1/pricing/${encodeURIComponent(id)}`, { method: "DELETE" }), [pricingQueryKey]);
}
