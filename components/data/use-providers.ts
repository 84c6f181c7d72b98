"use client";
import { useQuery } from "@tanstack/react-query";
import type { CreateProviderInput, CreateProviderKeyInput } from "@/lib/validation/admin-providers";
import { apiData } from "./api-client";
import type { Provider, ProviderKey, ProviderTestResult } from "./api-types";
import { useApiMutation } from "./use-api-mutation";

export const providersQueryKey = ["providers"] as const;

export function useProviders(enabled = true) {
  return useQuery({ queryKey: providersQueryKey, queryFn: () => apiData<Provider[]>("/api/v1/providers"), enabled });
}

export function useCreateProvider() {
  return useApiMutation((input: CreateProviderInput) => apiData<Provider>("/api/v1/providers", { method: "POST", body: input }), [providersQueryKey]);
}

export function useDeleteProvider() {
  return useApiMutation((id: string) => apiData<unknown>(`/api/v1/providers/${encodeURIComponent(id)}`, { method: "DELETE" }), [providersQueryKey]);
}

export function useAddProviderKey() {
  return useApiMutation(
    ({ providerId, input }: { providerId: string; input: CreateProviderKeyInput }) =>
      apiData<ProviderKey>(`/api/v1/providers/${encodeURIComponent(providerId)}/keys`, { method: "POST", body: input }),
    [providersQueryKey],
  );
}

export function useDeleteProviderKey() {
  return useApiMutation(
    ({ providerId, keyId }: { providerId: string; keyId: string }) =>
      apiData<unknown>(`/api/v1/providers/${encodeURIComponent(providerId)}/keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }),
    [providersQueryKey],
  );
}

/** Not a cache write: the answer is shown once next to the button, nothing to invalidate. */
export function useTestProvider() {
  return useApiMutation(
    (providerId: string) => apiData<ProviderTestResult>(`/api/v1/providers/${encodeURIComponent(providerId)}/test`, { method: "POST", body: {} }),
    [],
  );
}
