import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { getPrisma } from "@/lib/db/client";
import { checkSetupToken, type SetupTokenState } from "@/lib/auth/setup";
import { completeSetupAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up", referrer: "no-referrer" };

const MESSAGES: Record<Exclude<SetupTokenState, "valid">, string> = {
  invalid: "This setup link is not valid. Restart Switchyard to print a new one.",
  expired: "This setup link has expired. Restart Switchyard to print a new one.",
  used: "This setup link was already used.",
  "owner-exists": "Switchyard is already set up.",
};

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : undefined;
  const state = await checkSetupToken(getPrisma(), token);
  if (state !== "valid" || !token) {
    return (
      <AuthCard title="Set up Switchyard">
        <p className="text-sm text-slate-700" data-testid="setup-unavailable">{MESSAGES[state === "valid" ? "invalid" : state]}</p>
        <Link href="/signin" className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:text-indigo-900">Go to sign in →</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the owner account" subtitle="The owner can do everything, including adding other admins. This link works once.">
      <SetupForm token={token} action={completeSetupAction} />
    </AuthCard>
  );
}
