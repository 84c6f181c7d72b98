"use client";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { inputClass, labelClass, primaryButtonClass } from "./auth-card";

const ERROR_MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  AccessDenied: "This account may not sign in here. Ask an admin to add you.",
  SessionRequired: "Sign in to continue.",
};

/** Same-origin targets only: a foreign callbackUrl would turn sign-in into an open redirect. */
function safeCallback(value: string | undefined): string {
  if (!value || typeof window === "undefined") return "/";
  try {
    const url = new URL(value, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}` : "/";
  } catch {
    return "/";
  }
}

export function SignInForm({ callbackUrl, initialError, oidcName, defaultEmail }: { callbackUrl?: string; initialError?: string; oidcName?: string; defaultEmail?: string }) {
  const [error, setError] = useState(initialError ? (ERROR_MESSAGES[initialError] ?? "Sign-in failed. Try again.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full navigation, so the server layout reads the new session cookie.
      window.location.assign(safeCallback(callbackUrl));
      return;
    }
    setPending(false);
    setError(ERROR_MESSAGES[result?.error ?? ""] ?? "Sign-in failed. Try again.");
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-4" data-testid="signin-form" noValidate={false}>
        <div>
          <label htmlFor="email" className={labelClass}>Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required defaultValue={defaultEmail} className={inputClass} data-testid="signin-email" />
        </div>
        <div>
          <label htmlFor="password" className={labelClass}>Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} data-testid="signin-password" />
        </div>
        {error ? (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700" data-testid="signin-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className={primaryButtonClass} data-testid="signin-submit">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <div className="flex items-center gap-3 text-xs text-slate-400" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />or<span className="h-px flex-1 bg-slate-200" />
          </div>
          <button
            type="button"
            onClick={() => void signIn("oidc", { callbackUrl: safeCallback(callbackUrl) })}
            className="flex w-full justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50"
            data-testid="signin-oidc"
          >
            Continue with {oidcName}
          </button>
        </>
      ) : null}
    </div>
  );
}
