import type { Metadata } from "next";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getAuthOptions } from "@/lib/auth/options";
import { oidcSettingsFromEnv } from "@/lib/auth/oidc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  if ((await getServerSession(getAuthOptions()))?.user?.id) redirect("/");
  const setupDone = first(params.setup) === "done";
  const invited = first(params.invited) === "1";
  const subtitle = setupDone ? "Your owner account is ready. Sign in with it." : invited ? "Your password is set. Sign in with it." : "Sign in to the Switchyard dashboard.";
  return (
    <AuthCard title="Sign in" subtitle={subtitle}>
      <SignInForm callbackUrl={first(params.callbackUrl)} initialError={first(params.error)} oidcName={oidcSettingsFromEnv()?.displayName} defaultEmail={invited ? first(params.email) : undefined} />
    </AuthCard>
  );
}
