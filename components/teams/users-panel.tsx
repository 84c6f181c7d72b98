"use client";
// Dashboard users and invitations (issue 7): who can sign in, with which org role and teams,
// and an invite form whose answer — a one-time link — is shown once to pass on.
import { useState, type FormEvent } from "react";
import { INVITABLE_ROLES, type InvitationResponse } from "@/lib/validation/admin-users";
import { TEAM_ROLES } from "@/lib/validation/admin-teams";
import { useCan } from "@/components/auth/use-can";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { relativeTime } from "@/components/data/relative-time";
import { useTeams } from "@/components/data/use-teams";
import { useInviteUser, useReinviteUser, useUsers } from "@/components/data/use-users";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { Button, Chip, ErrorNote, LoadingRows, Panel, SelectField, TD, TH, TextField } from "@/components/ui/form-fields";

const STATUS_TONE = { active: "green", invited: "amber", disabled: "rose" } as const;

function InviteLink({ invitation }: { invitation: InvitationResponse }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invitation.invite_url);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="space-y-3" data-testid="invite-link">
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
        <strong>Send this link to {invitation.user.email}.</strong> It is shown only once, works once, and expires {new Date(invitation.expires_at).toISOString().slice(0, 10)}.
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="invite-url" className="min-w-0 flex-1 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs break-all text-emerald-300 select-all">{invitation.invite_url}</code>
        <Button tone="primary" onClick={() => void copy()} data-testid="invite-copy">{copied === "yes" ? "Copied" : "Copy"}</Button>
      </div>
      {copied === "failed" ? <p className="text-xs text-rose-700">The browser refused clipboard access; select the link and copy it by hand.</p> : null}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (invitation: InvitationResponse) => void }) {
  const teams = useTeams();
  const invite = useInviteUser();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<(typeof INVITABLE_ROLES)[number]>("member");
  const [team, setTeam] = useState("");
  const [teamRole, setTeamRole] = useState<(typeof TEAM_ROLES)[number]>("member");
  const error = invite.error instanceof ApiError ? invite.error : null;
  // "owner" is offered to everyone who may invite; the server answers a non-owner's try with 403.
  const roles = INVITABLE_ROLES;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}), role, teams: team ? [{ team, role: teamRole }] : [] },
      { onSuccess: onInvited },
    );
  };
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="invite-user-form" noValidate>
      <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus data-testid="invite-email" error={error?.issueFor("email")} errorTestId="invite-email-error" />
      <TextField label="Name (optional)" value={name} onChange={(e) => setName(e.target.value)} data-testid="invite-user-name" />
      <SelectField label="Role" hint="Org-wide; team admins and members are scoped by their teams." value={role} onChange={(e) => setRole(e.target.value as typeof role)} options={roles.map((r) => ({ value: r, label: r.replace("_", " ") }))} data-testid="invite-role" />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Team (optional)" value={team} onChange={(e) => setTeam(e.target.value)} options={[{ value: "", label: "No team" }, ...(teams.data ?? []).map((t) => ({ value: t.name, label: t.name }))]} data-testid="invite-team" error={error?.issueFor("teams")} />
        <SelectField label="Role in the team" value={teamRole} onChange={(e) => setTeamRole(e.target.value as typeof teamRole)} options={TEAM_ROLES.map((r) => ({ value: r, label: r.replace("_", " ") }))} disabled={!team} data-testid="invite-team-role" />
      </div>
      <ErrorNote message={error && !error.issueFor("email") ? error.describe() : invite.error && !error ? errorMessage(invite.error) : null} testId="invite-user-error" />
      <div className="flex justify-end">
        <Button tone="primary" type="submit" disabled={invite.isPending || !email.trim()} data-testid="invite-submit-user">{invite.isPending ? "Inviting…" : "Invite"}</Button>
      </div>
    </form>
  );
}

export function UsersPanel() {
  const can = useCan();
  const users = useUsers();
  const reinvite = useReinviteUser();
  const [open, setOpen] = useState(false);
  const [invitation, setInvitation] = useState<InvitationResponse | null>(null);
  const close = () => {
    setOpen(false);
    setInvitation(null);
  };
  return (
    <Panel className="mt-6">
      <div className="flex items-center justify-between border-b border-slate-100 px-5 py-4">
        <div>
          <h2 className="text-base font-semibold text-slate-900">Users</h2>
          <p className="text-sm text-slate-500">Everyone who can sign in to the dashboard.</p>
        </div>
        {can("users:write") ? <Button tone="primary" onClick={() => setOpen(true)} data-testid="invite-user-open">Invite user</Button> : null}
      </div>
      {users.isPending ? (
        <LoadingRows label="Loading users…" />
      ) : users.isError ? (
        <div className="p-5"><ErrorNote message={errorMessage(users.error)} /></div>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="users-table">
            <caption className="sr-only">Dashboard users</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={TH}>User</th>
                <th scope="col" className={TH}>Role</th>
                <th scope="col" className={TH}>Teams</th>
                <th scope="col" className={TH}>Status</th>
                <th scope="col" className={TH}>Last sign-in</th>
                {can("users:write") ? <th scope="col" className={TH}><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.map((user) => (
                <tr key={user.id} data-testid="user-row" data-user-email={user.email}>
                  <td className={TD}>
                    <div className="font-medium text-slate-900">{user.name ?? user.email}</div>
                    {user.name ? <div className="text-xs text-slate-500">{user.email}</div> : null}
                  </td>
                  <td className={TD}><Chip tone={user.role === "owner" || user.role === "admin" ? "indigo" : "slate"}>{user.role.replace("_", " ")}</Chip></td>
                  <td className={`${TD} text-slate-600`}>{user.teams.length === 0 ? "—" : user.teams.map((t) => `${t.name} (${t.role.replace("_", " ")})`).join(", ")}</td>
                  <td className={TD} data-testid="user-status"><Chip tone={STATUS_TONE[user.status]}>{user.status}</Chip></td>
                  <td className={`${TD} text-slate-600`}>{user.last_login_at ? relativeTime(user.last_login_at) : "Never"}</td>
                  {can("users:write") ? (
                    <td className={`${TD} text-right`}>
                      {user.status === "invited" ? (
                        <Button size="sm" onClick={() => reinvite.mutate(user.id, { onSuccess: (answer) => { setInvitation(answer); setOpen(true); } })} data-testid="user-reinvite" aria-label={`Re-send the invitation of ${user.email}`}>Re-send link</Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="px-5"><ErrorNote message={reinvite.error ? errorMessage(reinvite.error) : null} /></div>
      <ModalDialog open={open} title={invitation ? "Invitation created" : "Invite a user"} onClose={close} testId="invite-user-dialog">
        {invitation ? (
          <div className="space-y-4">
            <InviteLink invitation={invitation} />
            <div className="flex justify-end"><Button tone="primary" onClick={close} data-testid="invite-done">Done</Button></div>
          </div>
        ) : (
          <InviteForm onInvited={setInvitation} />
        )}
      </ModalDialog>
    </Panel>
  );
}
