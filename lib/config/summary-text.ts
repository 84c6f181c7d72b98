// Multi-line apply summary for the CLI: a table of counts per kind, then warnings.
// (ApplySummary.text is the one-line form, for logs.)
import { CONFIG_KINDS, type ApplySummary } from "./apply-steps/context";

export function formatApplySummary(summary: ApplySummary): string {
  const lines = CONFIG_KINDS.map((kind) => {
    const c = summary.counts[kind];
    return `  ${kind.padEnd(14)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged${c.deleted > 0 ? `, ${c.deleted} deleted` : ""}`;
  });
  const head = summary.changes === 0 ? "Configuration unchanged." : `Configuration applied: ${summary.changes} change(s).`;
  return [head, ...lines, ...summary.warnings.map((w) => `warning: ${w}`)].join("\n");
}

/** The block the CLI prints for generated virtual key secrets; empty when there are none. */
export function formatGeneratedKeys(summary: ApplySummary): string {
  if (summary.generatedKeys.length === 0) return "";
  return [
    "",
    "New virtual key secrets. They are shown ONCE and cannot be recovered: store them now.",
    ...summary.generatedKeys.map((k) => `  ${k.name}: ${k.secret}`),
  ].join("\n");
}

const ACTION_MARK = { create: "+", update: "~", delete: "-" } as const;

/** `apply --dry-run`: one line per change, `+` create, `~` update (with the fields), `-` delete. */
export function formatDryRun(summary: ApplySummary): string {
  if (summary.changeList.length === 0) return "Dry run: the database already matches the file; nothing would change.";
  const lines = summary.changeList.map((change) => {
    const singular = change.kind.replace(/_/g, " ").replace(/s$/, "");
    const fields = change.action === "update" && change.fields.length > 0 ? ` (${change.fields.join(", ")})` : "";
    return `  ${ACTION_MARK[change.action]} ${change.action} ${singular} "${change.name}"${fields}`;
  });
  const counts = (["create", "update", "delete"] as const).map((a) => `${summary.changeList.filter((c) => c.action === a).length} ${a}`).join(", ");
  return [`Dry run (nothing was changed): ${counts}`, ...lines, ...summary.warnings.map((w) => `warning: ${w}`)].join("\n");
}
