import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { InviteForm } from "@/components/auth/invite-form";
import { getPrisma } from "@/lib/db/client";
import { checkInvite, type InviteState } from "@/lib/auth/invites";
import { acceptInviteAction } from "./actions";

export const dynamic = "force-dynamic";
// The token is in the URL: never send it on as a referrer.
export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };

const MESSAGES: Record<Exclude<InviteState, "valid">, string> = {
  invalid: "This invitation link is not valid. Ask an admin for a new one.",
  expired: "This invitation has expired. Ask an admin to send it again.",
  used: "This invitation was already used.",
};

export default async function InvitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : undefined;
  const invite = await checkInvite(getPrisma(), token);
  if (invite.state !== "valid" || !token) {
    return (
      <AuthCard title="Join Switchyard">
        <p className="text-sm text-slate-700" data-testid="invite-unavailable">{MESSAGES[invite.state === "valid" ? "invalid" : invite.state]}</p>
        <Link href="/signin" className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:text-indigo-900">Go to sign in →</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Join Switchyard" subtitle={`Set a password for ${invite.email}. This link works once.`}>
      <InviteForm token={token} email={invite.email ?? ""} defaultName={invite.name ?? ""} action={acceptInviteAction} />
    </AuthCard>
  );
}
