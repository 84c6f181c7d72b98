"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { MAX_LOG_RETENTION_DAYS, settingsUpdateSchema, type SettingsUpdate } from "@/lib/validation/settings";
import { useCan } from "@/components/auth/use-can";
import { ApiError, errorMessage } from "@/components/data/api-client";
import { useSettings, useUpdateSettings, type Settings } from "@/components/data/use-settings";
import { Button, ErrorNote, LoadingRows, Panel, SelectField, TextField } from "@/components/ui/form-fields";
import { issueAt, zodIssues } from "@/components/ui/zod-issues";

export interface SettingsFormState {
  logRetentionDays: string;
  bodyCaptureDefault: "" | "on" | "off";
  cacheTtlSeconds: string;
  cacheThreshold: string;
  webhookUrl: string;
  /** Empty = keep the stored secret. */
  webhookSecret: string;
  removeSecret: boolean;
}

export function settingsFormStateOf(settings: Settings): SettingsFormState {
  const text = (value: number | null) => (value === null ? "" : String(value));
  return {
    logRetentionDays: text(settings.log_retention_days),
    bodyCaptureDefault: settings.body_capture_default === null ? "" : settings.body_capture_default ? "on" : "off",
    cacheTtlSeconds: text(settings.cache_default_ttl_seconds),
    cacheThreshold: text(settings.cache_similarity_threshold),
    webhookUrl: settings.alert_webhook_url ?? "",
    webhookSecret: "",
    removeSecret: false,
  };
}

/** Form → PUT body: an empty field resets the setting (null); the secret is sent only when touched. */
export function toSettingsUpdate(form: SettingsFormState): { ok: true; input: SettingsUpdate } | { ok: false; issues: Record<string, string> } {
  const number = (value: string) => (value.trim() === "" ? null : Number(value));
  const raw: Record<string, unknown> = {
    log_retention_days: number(form.logRetentionDays),
    body_capture_default: form.bodyCaptureDefault === "" ? null : form.bodyCaptureDefault === "on",
    cache_default_ttl_seconds: number(form.cacheTtlSeconds),
    cache_similarity_threshold: number(form.cacheThreshold),
    alert_webhook_url: form.webhookUrl.trim() === "" ? null : form.webhookUrl.trim(),
  };
  if (form.removeSecret) raw.alert_webhook_secret = null;
  else if (form.webhookSecret !== "") raw.alert_webhook_secret = form.webhookSecret;
  const issues = zodIssues(settingsUpdateSchema, raw);
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, input: raw as SettingsUpdate };
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <section className="grid gap-4 border-b border-slate-100 p-5 last:border-b-0 md:grid-cols-[16rem_1fr] dark:border-slate-800">
      <div>
        <h2 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{description}</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </section>
  );
}

function Form({ settings }: { settings: Settings }) {
  const can = useCan();
  const [form, setForm] = useState<SettingsFormState>(() => settingsFormStateOf(settings));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const update = useUpdateSettings();
  const readOnly = !can("settings:write");
  const serverError = update.error instanceof ApiError ? update.error : null;
  const fieldError = (path: string) => issueAt(issues, path) ?? serverError?.issueFor(path) ?? null;
  const set = (field: keyof SettingsFormState) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = toSettingsUpdate(form);
    if (!parsed.ok) return setIssues(parsed.issues);
    setIssues({});
    update.mutate(parsed.input, { onSuccess: (saved) => setForm(settingsFormStateOf(saved)) });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="settings-form">
      <Panel>
        <fieldset disabled={readOnly}>
          <Section title="Request logs" description="Empty fields use the built-in default.">
            <TextField
              label="Log retention (days)"
              hint={`1–${MAX_LOG_RETENTION_DAYS}; older request logs are dropped. Empty = keep the default.`}
              type="number"
              min="1"
              max={MAX_LOG_RETENTION_DAYS}
              value={form.logRetentionDays}
              onChange={set("logRetentionDays")}
              data-testid="settings-retention"
              errorTestId="settings-retention-error"
              error={fieldError("log_retention_days")}
            />
            <SelectField
              label="Capture request bodies by default"
              hint="Per provider, the debug capture toggle still wins."
              value={form.bodyCaptureDefault}
              onChange={set("bodyCaptureDefault")}
              options={[
                { value: "", label: "Default (off)" },
                { value: "on", label: "On" },
                { value: "off", label: "Off" },
              ]}
              data-testid="settings-body-capture"
              error={fieldError("body_capture_default")}
            />
          </Section>
          <Section title="Response cache" description="Defaults for keys and teams that set no cache options of their own.">
            <TextField label="Default TTL (seconds)" type="number" min="1" value={form.cacheTtlSeconds} onChange={set("cacheTtlSeconds")} data-testid="settings-cache-ttl" errorTestId="settings-cache-ttl-error" error={fieldError("cache_default_ttl_seconds")} />
            <TextField
              label="Semantic similarity threshold"
              hint="Above 0, at most 1; higher = only near-identical prompts hit."
              type="number"
              min="0"
              max="1"
              step="0.01"
              value={form.cacheThreshold}
              onChange={set("cacheThreshold")}
              data-testid="settings-cache-threshold"
              errorTestId="settings-cache-threshold-error"
              error={fieldError("cache_similarity_threshold")}
            />
          </Section>
          <Section title="Alert webhook" description="Budget alerts are POSTed here. SWITCHYARD_ALERT_WEBHOOK_URL / _SECRET on the gateway win over these.">
            <TextField
              label="Webhook URL"
              type="url"
              placeholder="https://hooks.example.com/switchyard"
              value={form.webhookUrl}
              onChange={set("webhookUrl")}
              data-testid="settings-webhook-url"
              errorTestId="settings-webhook-url-error"
              error={fieldError("alert_webhook_url")}
            />
            <div className="space-y-2">
              <TextField
                label={settings.alert_webhook_secret_set ? "Signing secret (set — type to replace)" : "Signing secret"}
                type="password"
                autoComplete="new-password"
                placeholder={settings.alert_webhook_secret_set ? "••••••••" : "at least 8 characters"}
                value={form.webhookSecret}
                onChange={set("webhookSecret")}
                disabled={form.removeSecret}
                data-testid="settings-webhook-secret"
                errorTestId="settings-webhook-secret-error"
                error={fieldError("alert_webhook_secret")}
              />
              {settings.alert_webhook_secret_set ? (
                <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                  <input type="checkbox" checked={form.removeSecret} onChange={(e) => setForm((f) => ({ ...f, removeSecret: e.target.checked, webhookSecret: "" }))} data-testid="settings-webhook-secret-remove" />
                  Remove the stored secret
                </label>
              ) : null}
            </div>
          </Section>
        </fieldset>
      </Panel>
      <div className="mt-4 flex flex-wrap items-center justify-end gap-3">
        {update.isSuccess ? <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="settings-saved">Saved.</p> : null}
        <ErrorNote message={update.error && (!serverError || serverError.issues.length === 0) ? errorMessage(update.error) : null} testId="settings-error" />
        {readOnly ? (
          <p className="text-sm text-slate-500">Your role may view these settings but not change them.</p>
        ) : (
          <Button tone="primary" type="submit" disabled={update.isPending} data-testid="settings-save">{update.isPending ? "Saving…" : "Save settings"}</Button>
        )}
      </div>
    </form>
  );
}

export function SettingsPanel() {
  const settings = useSettings();
  if (settings.isPending) return <LoadingRows label="Loading settings…" />;
  if (settings.isError) return <ErrorNote message={errorMessage(settings.error)} />;
  return <Form settings={settings.data} />;
}
