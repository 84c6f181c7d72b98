"use client";
import { useQuery } from "@tanstack/react-query";
import type { CreateTeamInput, TeamMemberInput } from "@/lib/validation/admin-teams";
import { apiData } from "./api-client";
import type { Team, TeamMember } from "./api-types";
import { useApiMutation } from "./use-api-mutation";

export const teamsQueryKey = ["teams"] as const;
const membersKey = (teamId: string) => ["teams", teamId, "members"] as const;

export function useTeams(enabled = true) {
  return useQuery({ queryKey: teamsQueryKey, queryFn: () => apiData<Team[]>("/api/v1/teams"), enabled });
}

export function useTeamMembers(teamId: string | null) {
  return useQuery({
    queryKey: membersKey(teamId ?? ""),
    queryFn: () => apiData<TeamMember[]>(`/api/v1/teams/${encodeURIComponent(teamId!)}/members`),
    enabled: teamId !== null,
  });
}

export function useCreateTeam() {
  return useApiMutation((input: CreateTeamInput) => apiData<Team>("/api/v1/teams", { method: "POST", body: input }), [teamsQueryKey]);
}

// Invalidating ["teams"] also refreshes every members list (prefix match) and member_count.
export function useAddTeamMember() {
  return useApiMutation(
    ({ teamId, input }: { teamId: string; input: TeamMemberInput }) =>
      apiData<TeamMember>(`/api/v1/teams/${encodeURIComponent(teamId)}/members`, { method: "POST", body: input }),
    [teamsQueryKey],
  );
}

export function useRemoveTeamMember() {
  return useApiMutation(
    ({ teamId, user }: { teamId: string; user: string }) =>
      apiData<unknown>(`/api/v1/teams/${encodeURIComponent(teamId)}/members?user=${encodeURIComponent(user)}`, { method: "DELETE" }),
    [teamsQueryKey],
  );
}
