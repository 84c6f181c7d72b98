"use client";
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";

/**
 * A mutation that refreshes the lists it changed. Every admin write goes through this so a
 * created key or reordered rule never leaves a stale table behind (the server is the truth;
 * no optimistic copies to reconcile).
 */
export function useApiMutation<TInput, TResult>(run: (input: TInput) => Promise<TResult>, invalidates: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
