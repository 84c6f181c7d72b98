"use client";
import { useActionState } from "react";
import type { InviteActionState } from "@/app/invite/actions";
import { inputClass, labelClass, primaryButtonClass } from "./auth-card";

type Action = (state: InviteActionState, form: FormData) => Promise<InviteActionState>;

export function InviteForm({ token, email, defaultName, action }: { token: string; email: string; defaultName: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" data-testid="invite-form">
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div>
        <label htmlFor="name" className={labelClass}>Your name</label>
        <input id="name" name="name" type="text" autoComplete="name" required defaultValue={state.values?.name ?? defaultName} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? "name-error" : undefined} className={inputClass} data-testid="invite-name" />
        {errors.name ? <p id="name-error" className="mt-1 text-xs text-rose-700">{errors.name}</p> : null}
      </div>
      <div>
        <label htmlFor="password" className={labelClass}>Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} aria-invalid={errors.password ? true : undefined} aria-describedby={`password-hint${errors.password ? " password-error" : ""}`} className={inputClass} data-testid="invite-password" />
        <p id="password-hint" className="mt-1 text-xs text-slate-500">At least 12 characters.</p>
        {errors.password ? <p id="password-error" className="mt-1 text-xs text-rose-700" data-testid="invite-password-error">{errors.password}</p> : null}
      </div>
      {state.message ? <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700" data-testid="invite-error">{state.message}</p> : null}
      <button type="submit" disabled={pending} className={primaryButtonClass} data-testid="invite-submit">{pending ? "Saving…" : "Set password and continue"}</button>
    </form>
  );
}
