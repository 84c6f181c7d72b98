"use client";
import { useQuery } from "@tanstack/react-query";
import type { InvitationResponse, InviteUserInput, UserResponse } from "@/lib/validation/admin-users";
import { apiData } from "./api-client";
import { teamsQueryKey } from "./use-teams";
import { useApiMutation } from "./use-api-mutation";

export const usersQueryKey = ["users"] as const;

export function useUsers(enabled = true) {
  return useQuery({ queryKey: usersQueryKey, queryFn: () => apiData<UserResponse[]>("/api/v1/users"), enabled });
}

// Invitations add memberships too: member counts and lists refresh with the users.
export function useInviteUser() {
  return useApiMutation((input: Partial<InviteUserInput> & { email: string }) => apiData<InvitationResponse>("/api/v1/users", { method: "POST", body: input }), [usersQueryKey, teamsQueryKey]);
}

export function useReinviteUser() {
  return useApiMutation((userId: string) => apiData<InvitationResponse>(`/api/v1/users/${encodeURIComponent(userId)}/invite`, { method: "POST" }), [usersQueryKey]);
}
