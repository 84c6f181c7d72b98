// Small form and layout pieces shared by the admin pages, so every form labels its inputs,
// shows a field's server error right under it, and looks the same.
import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

export const INPUT_CLASS =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-indigo-500 disabled:bg-slate-50 aria-invalid:border-rose-500";

export function Field({ label, hint, error, children, errorTestId }: { label: string; hint?: string; error?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode; errorTestId?: string }) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children(id, describedBy)}
      {error ? (
        <p id={`${id}-error`} className="text-xs whitespace-pre-wrap text-rose-700" data-testid={errorTestId} role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, hint, error, errorTestId, ...input }: { label: string; hint?: string; error?: string | null; errorTestId?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} hint={hint} error={error} errorTestId={errorTestId}>
      {(id, describedBy) => <input id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={INPUT_CLASS} {...input} />}
    </Field>
  );
}

export function TextAreaField({ label, hint, error, errorTestId, ...input }: { label: string; hint?: string; error?: string | null; errorTestId?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} hint={hint} error={error} errorTestId={errorTestId}>
      {(id, describedBy) => <textarea id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={`${INPUT_CLASS} font-mono`} {...input} />}
    </Field>
  );
}

export function SelectField({ label, hint, error, options, ...select }: { label: string; hint?: string; error?: string | null; options: readonly { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id, describedBy) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={INPUT_CLASS} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const BUTTON_TONES = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300",
  secondary: "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-rose-600 text-white hover:bg-rose-500 disabled:bg-rose-300",
  ghost: "text-slate-600 hover:bg-slate-100 disabled:text-slate-300",
} as const;

export function Button({ tone = "secondary", size = "md", className = "", ...button }: { tone?: keyof typeof BUTTON_TONES; size?: "sm" | "md" } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-1.5 rounded-md font-medium shadow-sm transition-colors disabled:cursor-not-allowed ${size === "sm" ? "px-2 py-1 text-xs" : "px-3 py-1.5 text-sm"} ${BUTTON_TONES[tone]} ${className}`}
      {...button}
    />
  );
}

/** An error from the server, shown where the action happened. */
export function ErrorNote({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid={testId} className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm whitespace-pre-wrap text-rose-800">
      {message}
    </p>
  );
}

export function Panel({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <div className={`overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}>{children}</div>;
}

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <p className="text-sm font-medium text-slate-900">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

export function LoadingRows({ label }: { label: string }) {
  return (
    <div role="status" className="rounded-xl border border-slate-200 bg-white px-6 py-10 text-center text-sm text-slate-500">
      {label}
    </div>
  );
}

export const TH = "px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 whitespace-nowrap";
export const TD = "px-3 py-2.5 align-top";

export function Chip({ children, tone = "slate" }: { children: ReactNode; tone?: "slate" | "green" | "amber" | "rose" | "indigo" }) {
  const tones = {
    slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
    green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
    amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
    rose: "bg-rose-50 text-rose-700 ring-rose-600/20",
    indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
  };
  return <span className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}

/** "a, b, c" → ["a","b","c"], for list inputs typed as text. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
