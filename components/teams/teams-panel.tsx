"use client";
import { useState, type FormEvent } from "react";
import { TEAM_ROLES } from "@/lib/validation/admin-teams";
import { useCan } from "@/components/auth/use-can";
import { ApiError, errorMessage } from "@/components/data/api-client";
import type { Team } from "@/components/data/api-types";
import { shortDate } from "@/components/data/relative-time";
import { useAddTeamMember, useCreateTeam, useRemoveTeamMember, useTeamMembers, useTeams } from "@/components/data/use-teams";
import { Button, Chip, EmptyState, ErrorNote, LoadingRows, Panel, SelectField, TD, TH, TextField } from "@/components/ui/form-fields";

const ROLE_OPTIONS = TEAM_ROLES.map((role) => ({ value: role, label: role.replace("_", " ") }));

function CreateTeamForm() {
  const create = useCreateTeam();
  const [name, setName] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, { onSuccess: () => setName("") });
  };
  return (
    <form onSubmit={submit} className="flex items-end gap-2 border-t border-slate-100 p-3" noValidate>
      <div className="flex-1">
        <TextField label="New team" value={name} onChange={(e) => setName(e.target.value)} data-testid="team-name" error={create.error ? errorMessage(create.error) : null} />
      </div>
      <Button tone="primary" type="submit" disabled={create.isPending || !name.trim()} data-testid="team-create">Create</Button>
    </form>
  );
}

function TeamMembers({ team }: { team: Team }) {
  const can = useCan();
  const members = useTeamMembers(team.id);
  const add = useAddTeamMember();
  const remove = useRemoveTeamMember();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof TEAM_ROLES)[number]>("member");
  const canWrite = can("members:write");
  const addError = add.error instanceof ApiError ? add.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ teamId: team.id, input: { user: email.trim(), role } }, { onSuccess: () => setEmail("") });
  };
  return (
    <Panel>
      <div className="border-b border-slate-100 px-5 py-4">
        <h2 className="text-base font-semibold text-slate-900">{team.name}</h2>
        <p className="text-sm text-slate-500">
          {team.customer ? `Customer ${team.customer.name} · ` : ""}
          {team.member_count} member{team.member_count === 1 ? "" : "s"}
        </p>
      </div>
      {members.isPending ? (
        <p className="px-5 py-6 text-sm text-slate-500" role="status">Loading members…</p>
      ) : members.isError ? (
        <div className="p-5"><ErrorNote message={errorMessage(members.error)} /></div>
      ) : members.data.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500" data-testid="members-empty">No members yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="members-table">
            <caption className="sr-only">Members of {team.name}</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={TH}>Member</th>
                <th scope="col" className={TH}>Role</th>
                <th scope="col" className={TH}>Added</th>
                {canWrite ? <th scope="col" className={TH}><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.data.map((member) => (
                <tr key={member.user_id} data-testid="member-row" data-member-email={member.email}>
                  <td className={TD}>
                    <div className="font-medium text-slate-900">{member.name ?? member.email}</div>
                    {member.name ? <div className="text-xs text-slate-500">{member.email}</div> : null}
                  </td>
                  <td className={TD}><Chip tone={member.role === "team_admin" ? "indigo" : "slate"}>{member.role.replace("_", " ")}</Chip></td>
                  <td className={`${TD} text-slate-600`}>{shortDate(member.added_at)}</td>
                  {canWrite ? (
                    <td className={`${TD} text-right`}>
                      <Button size="sm" tone="ghost" className="text-rose-700" aria-label={`Remove ${member.email}`} onClick={() => remove.mutate({ teamId: team.id, user: member.user_id })}>Remove</Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="px-5"><ErrorNote message={remove.error ? errorMessage(remove.error) : null} /></div>
      {canWrite ? (
        <form onSubmit={submit} className="grid items-end gap-2 border-t border-slate-100 p-5 sm:grid-cols-[2fr_1fr_auto]" data-testid="add-member-form" noValidate>
          <TextField label="Add member by email" type="email" placeholder="someone@example.com" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="member-email" error={addError?.issueFor("user") ?? (addError ? errorMessage(addError) : null)} errorTestId="member-error" />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as (typeof TEAM_ROLES)[number])} options={ROLE_OPTIONS} data-testid="member-role" />
          <Button tone="primary" type="submit" disabled={add.isPending || !email.trim()} data-testid="member-add">Add</Button>
        </form>
      ) : null}
    </Panel>
  );
}

export function TeamsPanel() {
  const can = useCan();
  const teams = useTeams();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (teams.isPending) return <LoadingRows label="Loading teams…" />;
  if (teams.isError) return <ErrorNote message={errorMessage(teams.error)} />;
  const selected = teams.data.find((t) => t.id === selectedId) ?? teams.data[0] ?? null;
  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
      <Panel className="self-start">
        <ul aria-label="Teams" data-testid="teams-list" className="divide-y divide-slate-100">
          {teams.data.map((team) => (
            <li key={team.id}>
              <button
                type="button"
                onClick={() => setSelectedId(team.id)}
                aria-current={team.id === selected?.id ? "true" : undefined}
                data-testid="team-row"
                data-team-name={team.name}
                className={`flex w-full items-center justify-between px-4 py-3 text-left text-sm ${team.id === selected?.id ? "bg-indigo-50 font-medium text-indigo-900" : "text-slate-700 hover:bg-slate-50"}`}
              >
                {team.name}
                <span className="text-xs text-slate-500">{team.member_count}</span>
              </button>
            </li>
          ))}
          {teams.data.length === 0 ? <li className="px-4 py-6 text-sm text-slate-500">No teams yet.</li> : null}
        </ul>
        {can("teams:write") ? <CreateTeamForm /> : null}
      </Panel>
      {selected ? <TeamMembers key={selected.id} team={selected} /> : <EmptyState title="No team selected" />}
    </div>
  );
}
