"use client";
import { useQuery } from "@tanstack/react-query";
import type { CreateVirtualKeyInput } from "@/lib/validation/admin-virtual-keys";
import { apiData } from "./api-client";
import type { VirtualKey, VirtualKeyWithSecret } from "./api-types";
import { useApiMutation } from "./use-api-mutation";

export const virtualKeysQueryKey = ["virtual-keys"] as const;

export function useVirtualKeys() {
  return useQuery({ queryKey: virtualKeysQueryKey, queryFn: () => apiData<VirtualKey[]>("/api/v1/virtual-keys") });
}

export function useCreateVirtualKey() {
  return useApiMutation(
    (input: CreateVirtualKeyInput) => apiData<VirtualKeyWithSecret>("/api/v1/virtual-keys", { method: "POST", body: input }),
    [virtualKeysQueryKey, ["budgets"]],
  );
}

export function useRotateVirtualKey() {
  return useApiMutation(
    ({ id, graceSeconds }: { id: string; graceSeconds?: number }) =>
      apiData<VirtualKeyWithSecret>(`/api/v1/virtual-keys/${encodeURIComponent(id)}/rotate`, {
        method: "POST",
        body: graceSeconds ? { grace_seconds: graceSeconds } : {},
      }),
    [virtualKeysQueryKey],
  );
}

export function useRevokeVirtualKey() {
  return useApiMutation((id: string) => apiData<VirtualKey>(`/api/v1/virtual-keys/${encodeURIComponent(id)}`, { method: "DELETE" }), [virtualKeysQueryKey]);
}
