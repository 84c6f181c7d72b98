// Admin API shapes for teams and their members (PRODUCT §5.1, §8), derived from `teamSchema`.
import { z } from "zod";
import { entityNameSchema } from "./common";
import { entityRefSchema, limitsResponseShape } from "./admin-common";
import { teamSchema } from "./teams";

export const createTeamInputSchema = teamSchema;
export const updateTeamInputSchema = teamSchema.partial().extend({ customer: entityNameSchema.nullable().optional() });

/** Roles within one team (Membership.role); org-wide owner/admin are not team roles. */
export const TEAM_ROLES = ["team_admin", "member", "viewer"] as const;
export const teamMemberInputSchema = z.strictObject({
  /** Email of an existing dashboard user. */
  user: z.email(),
  role: z.enum(TEAM_ROLES).default("member"),
});

export type CreateTeamInput = z.output<typeof createTeamInputSchema>;
export type UpdateTeamInput = z.output<typeof updateTeamInputSchema>;
export type TeamMemberInput = z.output<typeof teamMemberInputSchema>;

export const teamMemberResponseSchema = z.strictObject({
  user_id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(TEAM_ROLES),
  added_at: z.string(),
});

export const teamResponseSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  customer: entityRefSchema,
  metadata: z.record(z.string(), z.json()),
  settings: z.record(z.string(), z.json()),
  member_count: z.int(),
  created_at: z.string(),
  updated_at: z.string(),
  ...limitsResponseShape,
});
