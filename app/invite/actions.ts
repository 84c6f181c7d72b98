"use server";
import { redirect } from "next/navigation";
import { getPrisma } from "@/lib/db/client";
import { acceptInvite, type AcceptInviteInput } from "@/lib/auth/invites";

export type InviteActionState = {
  message?: string;
  fieldErrors?: Partial<Record<keyof AcceptInviteInput, string>>;
  values?: { name: string };
};

const REFUSALS: Record<string, string> = {
  invalid: "This invitation link is not valid. Ask an admin for a new one.",
  expired: "This invitation has expired. Ask an admin to send it again.",
  used: "This invitation was already used. Sign in instead.",
};

export async function acceptInviteAction(_previous: InviteActionState, form: FormData): Promise<InviteActionState> {
  const input = { token: String(form.get("token") ?? ""), name: String(form.get("name") ?? ""), password: String(form.get("password") ?? "") };
  const result = await acceptInvite(getPrisma(), input);
  if (result.ok) redirect(`/signin?invited=1&email=${encodeURIComponent(result.email)}`);
  if (result.reason === "validation") return { fieldErrors: result.fieldErrors, values: { name: input.name } };
  return { message: REFUSALS[result.reason], values: { name: input.name } };
}
