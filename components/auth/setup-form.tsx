"use client";
import { useActionState } from "react";
import type { SetupActionState } from "@/app/setup/actions";
import { inputClass, labelClass, primaryButtonClass } from "./auth-card";

type Action = (state: SetupActionState, form: FormData) => Promise<SetupActionState>;

function Field({ id, label, type, autoComplete, error, defaultValue, hint }: {
  id: "email" | "name" | "password";
  label: string;
  type: string;
  autoComplete: string;
  error?: string;
  defaultValue?: string;
  hint?: string;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        autoComplete={autoComplete}
        required
        defaultValue={defaultValue}
        minLength={id === "password" ? 12 : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={inputClass}
        data-testid={`setup-${id}`}
      />
      {hint ? <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="mt-1 text-xs text-rose-700">{error}</p> : null}
    </div>
  );
}

export function SetupForm({ token, action }: { token: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4" data-testid="setup-form">
      <input type="hidden" name="token" value={token} />
      <Field id="name" label="Your name" type="text" autoComplete="name" error={state.fieldErrors?.name} defaultValue={state.values?.name} />
      <Field id="email" label="Email" type="email" autoComplete="username" error={state.fieldErrors?.email} defaultValue={state.values?.email} />
      <Field id="password" label="Password" type="password" autoComplete="new-password" error={state.fieldErrors?.password} hint="At least 12 characters." />
      {state.message ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700" data-testid="setup-error">{state.message}</p>
      ) : null}
      <button type="submit" disabled={pending} className={primaryButtonClass} data-testid="setup-submit">
        {pending ? "Creating account…" : "Create owner account"}
      </button>
    </form>
  );
}
