"use client";
import { useQuery } from "@tanstack/react-query";
import { apiData } from "@/components/data/api-client";
import { useApiMutation } from "@/components/data/use-api-mutation";

/** GET /api/v1/cache (app/api/v1/cache/cache-admin.ts). */
export interface CacheNamespaceStats {
  namespace: string;
  hits_exact: number;
  hits_semantic: number;
  misses: number;
  bypassed: number;
  saved_usd: number;
  semantic_entries: number | null;
}

export interface CacheStats {
  hours: number;
  shared_vectors: boolean;
  namespaces: CacheNamespaceStats[];
  totals: { hits: number; misses: number; saved_usd: number };
}

export const cacheQueryKey = ["cache"] as const;

export function useCacheStats(hours = 24) {
  return useQuery({ queryKey: [...cacheQueryKey, hours], queryFn: () => apiData<CacheStats>(`/api/v1/cache?hours=${hours}`), refetchInterval: 30_000 });
}

export function useClearCacheNamespace() {
  return useApiMutation((namespace: string) => apiData<unknown>(`/api/v1/cache?namespace=${encodeURIComponent(namespace)}`, { method: "DELETE" }), [cacheQueryKey]);
}
