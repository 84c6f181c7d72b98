"use client";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateCustomerInput, customerResponseSchema, UpdateCustomerInput } from "@/lib/validation/admin-customers";
import { apiData } from "./api-client";
import { teamsQueryKey } from "./use-teams";
import { useApiMutation } from "./use-api-mutation";

export type Customer = z.output<typeof customerResponseSchema>;

export const customersQueryKey = ["customers"] as const;

export function useCustomers(enabled = true) {
  return useQuery({ queryKey: customersQueryKey, queryFn: () => apiData<Customer[]>("/api/v1/customers"), enabled });
}

export function useCreateCustomer() {
  return useApiMutation((input: CreateCustomerInput) => apiData<Customer>("/api/v1/customers", { method: "POST", body: input }), [customersQueryKey]);
}

export function useUpdateCustomer() {
  return useApiMutation(
    ({ id, input }: { id: string; input: UpdateCustomerInput }) => apiData<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`, { method: "PATCH", body: input }),
    [customersQueryKey],
  );
}

// A deleted customer's teams lose their customer link, so the team list refreshes too.
export function useDeleteCustomer() {
  return useApiMutation((id: string) => apiData<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`, { method: "DELETE" }), [customersQueryKey, teamsQueryKey]);
}
