// Admin API shapes for dashboard users and invitations (PRODUCT §8, issue 7).
import { z } from "zod";
import { TEAM_ROLES } from "./admin-teams";

/** Org-wide roles an invitation may grant; only an owner may make another owner. */
export const INVITABLE_ROLES = ["owner", "admin", "team_admin", "member", "viewer"] as const;

export const inviteUserInputSchema = z.strictObject({
  email: z.email().max(320).transform((value) => value.trim().toLowerCase()),
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(INVITABLE_ROLES).default("member"),
  /** Team memberships to create with the user (team names). */
  teams: z.array(z.strictObject({ team: z.string().trim().min(1).max(200), role: z.enum(TEAM_ROLES).default("member") })).max(50).default([]),
});
export type InviteUserInput = z.output<typeof inviteUserInputSchema>;

export const userResponseSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(INVITABLE_ROLES),
  /** invited: no password set yet (the invitation may have expired); disabled: may not sign in. */
  status: z.enum(["active", "invited", "disabled"]),
  teams: z.array(z.strictObject({ id: z.string(), name: z.string(), role: z.enum(TEAM_ROLES) })),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
});
export type UserResponse = z.output<typeof userResponseSchema>;

/** The answer to an invitation: the user, and the one-time link (shown once, never stored). */
export const invitationResponseSchema = z.strictObject({
  user: userResponseSchema,
  invite_url: z.string(),
  expires_at: z.string(),
});
export type InvitationResponse = z.output<typeof invitationResponseSchema>;
