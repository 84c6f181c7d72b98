// What an importer produces: a Switchyard config document (applied like any config file,
// validated by the same schemas) and every part of the source it could not carry over, with
// the reason. Nothing is dropped silently: a source field the importer does not know is
// reported too.
import type { ConfigDocumentInput } from "../../validation/config";
import { isWindow } from "../../durations/windows";

export interface NotMapped {
  /** Where in the source file, e.g. `model_list[2].litellm_params.rpm` or `governance.budgets[0]`. */
  readonly path: string;
  readonly reason: string;
}

export interface ImportResult {
  readonly document: ConfigDocumentInput;
  readonly notMapped: readonly NotMapped[];
  /** Things carried over with an adjustment worth knowing (a literal secret, a renamed entity). */
  readonly notes: readonly string[];
}

export class ImportCollector {
  readonly notMapped: NotMapped[] = [];
  readonly notes: string[] = [];

  skip(path: string, reason: string): void {
    this.notMapped.push({ path, reason });
  }

  note(message: string): void {
    this.notes.push(message);
  }

  /** Reports every key of `object` not in `known` as not mapped. */
  unknownKeys(path: string, object: Record<string, unknown>, known: readonly string[], reason = "not known to the importer"): void {
    for (const key of Object.keys(object)) if (!known.includes(key)) this.skip(`${path}.${key}`, reason);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A provider name Switchyard accepts (lowercase, a-z 0-9 . _ -). */
export function providerNameFrom(raw: string): string {
  const cleaned = raw.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").slice(0, 64);
  return cleaned || "provider";
}

/** A window Switchyard accepts, from a duration like `30d`, `1mo`, `24h`; null when none fits. */
export function windowFrom(raw: unknown): string | null {
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  const text = String(raw).trim();
  const month = /^(\d+)\s*(mo|month|months)$/.exec(text);
  if (month) return isWindow(`${month[1]}M`) ? `${month[1]}M` : null;
  const plain = /^(\d+)\s*([mhdwMY])$/.exec(text);
  if (plain && isWindow(text)) return text;
  const seconds = /^(\d+)\s*s$/.exec(text);
  if (seconds && Number(seconds[1]) % 60 === 0 && isWindow(`${Number(seconds[1]) / 60}m`)) return `${Number(seconds[1]) / 60}m`;
  return null;
}

/** Formats the report the CLI prints after an import. */
export function formatImportReport(source: string, result: ImportResult): string {
  const lines: string[] = [];
  if (result.notes.length > 0) lines.push(`Imported from ${source} with adjustments:`, ...result.notes.map((n) => `  · ${n}`));
  if (result.notMapped.length === 0) lines.push(`Everything in ${source} was mapped.`);
  else lines.push(`Not mapped from ${source} (${result.notMapped.length}):`, ...result.notMapped.map((n) => `  - ${n.path}: ${n.reason}`));
  return lines.join("\n");
}
