// Invitations (issue 7): a one-time link with which an invited user sets their password.
// Tokens are random, stored as sha256 (like setup tokens), expire after 7 days, and are
// claimed with a conditional update so two submissions cannot both succeed. Re-inviting
// replaces every earlier link of that user.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import type { Tx } from "../admin/transaction";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { hashSetupToken, newSetupToken } from "./setup-token";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InviteState = "valid" | "invalid" | "expired" | "used";

/** Creates a fresh link for `userId`, invalidating older ones; answers the plain token. */
export async function issueInvite(tx: Tx, userId: string, createdBy: string, nowMs = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const token = newSetupToken();
  const expiresAt = new Date(nowMs + INVITE_TTL_MS);
  await tx.userInvite.deleteMany({ where: { userId, usedAt: null } });
  await tx.userInvite.create({ data: { userId, tokenHash: hashSetupToken(token), expiresAt, createdBy } });
  return { token, expiresAt };
}

export async function checkInvite(prisma: PrismaClient, token: string | undefined): Promise<{ state: InviteState; email?: string; name?: string | null }> {
  if (!token) return { state: "invalid" };
  const row = await prisma.userInvite.findUnique({ where: { tokenHash: hashSetupToken(token) }, include: { user: { select: { email: true, name: true } } } });
  if (!row) return { state: "invalid" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "valid", email: row.user.email, name: row.user.name };
}

export const acceptInviteSchema = z.strictObject({
  token: z.string().min(1),
  name: z.string().trim().min(1, "Enter your name").max(200),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024, "That password is too long"),
});
export type AcceptInviteInput = z.input<typeof acceptInviteSchema>;

export type AcceptInviteResult =
  | { ok: true; email: string }
  | { ok: false; reason: "validation"; fieldErrors: Partial<Record<keyof AcceptInviteInput, string>> }
  | { ok: false; reason: Exclude<InviteState, "valid"> };

export async function acceptInvite(prisma: PrismaClient, input: AcceptInviteInput): Promise<AcceptInviteResult> {
  const parsed = acceptInviteSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof AcceptInviteInput, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof AcceptInviteInput | undefined;
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    return { ok: false, reason: "validation", fieldErrors };
  }
  const { token, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  const tokenHash = hashSetupToken(token);
  return prisma.$transaction(async (tx): Promise<AcceptInviteResult> => {
    const claimed = await tx.userInvite.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    const row = await tx.userInvite.findUnique({ where: { tokenHash }, select: { userId: true, usedAt: true } });
    if (claimed.count !== 1 || !row) {
      if (!row) return { ok: false, reason: "invalid" };
      return { ok: false, reason: row.usedAt ? "used" : "expired" };
    }
    const user = await tx.user.update({ where: { id: row.userId }, data: { name, passwordHash, disabledAt: null }, select: { email: true } });
    return { ok: true, email: user.email };
  });
}
