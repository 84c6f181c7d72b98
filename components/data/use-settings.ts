"use client";
import { useQuery } from "@tanstack/react-query";
import type { SettingsResponse, SettingsUpdate } from "@/lib/validation/settings";
import { apiData } from "./api-client";
import { useApiMutation } from "./use-api-mutation";

export type Settings = SettingsResponse;

export const settingsQueryKey = ["settings"] as const;

export function useSettings() {
  return useQuery({ queryKey: settingsQueryKey, queryFn: () => apiData<Settings>("/api/v1/settings") });
}

export function useUpdateSettings() {
  return useApiMutation((input: SettingsUpdate) => apiData<Settings>("/api/v1/settings", { method: "PUT", body: input }), [settingsQueryKey]);
}
