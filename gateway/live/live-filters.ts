// Who may see a live event, and which events a socket asked for. Both are checked on the
// gateway, per socket, before anything is sent (PRODUCT §7.3: filtered server-side by what the
// viewer may see).
//
// Filters come from the socket URL's query (`/ws?token=…&provider=a,b&status=error`) or later
// from a `{"type":"subscribe","filters":{…}}` message; values are comma-separated lists, and a
// list matches when any of its values does. Outcome filters (status, min_latency_ms) can only
// be decided when a request ended: with one set, start and progress events are not sent.
import type { LiveEventMeta, LiveOp } from "./live-log-event";

/** What a socket's token grants (PRODUCT §8 roles, as signed by the dashboard). */
export type LiveViewer =
  | { readonly kind: "all" }
  | { readonly kind: "scoped"; readonly userId: string; readonly teamIds: ReadonlySet<string> };

export function mayView(viewer: LiveViewer, meta: LiveEventMeta): boolean {
  if (viewer.kind === "all") return true;
  if (meta.userId !== null && meta.userId === viewer.userId) return true;
  return meta.teamId !== null && viewer.teamIds.has(meta.teamId);
}

type StatusMatcher = (status: number) => boolean;

export interface LiveFilters {
  readonly provider?: readonly string[];
  readonly model?: readonly string[];
  /** Key names or ids. */
  readonly virtualKey?: readonly string[];
  /** Team names or ids. */
  readonly team?: readonly string[];
  readonly status?: readonly string[];
  readonly minLatencyMs?: number;
  readonly ops?: ReadonlySet<LiveOp>;
}

export interface CompiledFilters {
  readonly source: LiveFilters;
  matches(meta: LiveEventMeta): boolean;
}

export class LiveFilterError extends Error {}

export const LIVE_FILTER_NAMES = ["provider", "model", "virtual_key", "team", "status", "min_latency_ms", "ops"] as const;
const OPS: readonly LiveOp[] = ["start", "progress", "end"];

function list(name: string, raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const value of values) {
    if (typeof value !== "string" && typeof value !== "number") throw new LiveFilterError(`Filter '${name}' must be a string or a list of strings.`);
    for (const part of String(value).split(",")) {
      const trimmed = part.trim();
      if (trimmed) out.push(trimmed);
    }
  }
  if (out.length === 0) throw new LiveFilterError(`Filter '${name}' is empty.`);
  return out;
}

function statusMatcher(value: string): StatusMatcher {
  const lower = value.toLowerCase();
  if (lower === "success") return (s) => s < 400;
  if (lower === "error") return (s) => s >= 400;
  const klass = /^([1-5])xx$/.exec(lower);
  if (klass) {
    const hundreds = Number(klass[1]);
    return (s) => Math.floor(s / 100) === hundreds;
  }
  if (/^\d{3}$/.test(lower)) {
    const exact = Number(lower);
    return (s) => s === exact;
  }
  throw new LiveFilterError(`Filter 'status' accepts success, error, 4xx-style classes or a status code, got '${value}'.`);
}

/** Parses filters given as a record (query parameters or a subscribe message); unknown names are an error. */
export function parseLiveFilters(raw: Readonly<Record<string, unknown>>): LiveFilters {
  const filters: { -readonly [K in keyof LiveFilters]: LiveFilters[K] } = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === "") continue;
    switch (name) {
      case "provider":
        filters.provider = list(name, value);
        break;
      case "model":
        filters.model = list(name, value);
        break;
      case "virtual_key":
        filters.virtualKey = list(name, value);
        break;
      case "team":
        filters.team = list(name, value);
        break;
      case "status":
        filters.status = list(name, value);
        filters.status.forEach(statusMatcher);
        break;
      case "min_latency_ms": {
        const ms = Number(value);
        if (!Number.isFinite(ms) || ms < 0) throw new LiveFilterError(`Filter 'min_latency_ms' must be a number ≥ 0, got '${String(value)}'.`);
        filters.minLatencyMs = ms;
        break;
      }
      case "ops": {
        const ops = list(name, value);
        const unknown = ops.filter((op) => !(OPS as readonly string[]).includes(op));
        if (unknown.length > 0) throw new LiveFilterError(`Filter 'ops' accepts ${OPS.join(", ")}, got '${unknown.join(",")}'.`);
        filters.ops = new Set(ops as LiveOp[]);
        break;
      }
      default:
        throw new LiveFilterError(`Unknown filter '${name}'; the live-log socket accepts ${LIVE_FILTER_NAMES.join(", ")}.`);
    }
  }
  return filters;
}

export function compileFilters(filters: LiveFilters): CompiledFilters {
  const statuses = filters.status?.map(statusMatcher);
  const outcomeOnly = statuses !== undefined || filters.minLatencyMs !== undefined;
  return {
    source: filters,
    matches(meta) {
      if (filters.ops && !filters.ops.has(meta.op)) return false;
      if (filters.provider && (meta.provider === null || !filters.provider.includes(meta.provider))) return false;
      if (filters.model && !meta.models.some((m) => filters.model!.includes(m))) return false;
      if (filters.virtualKey && !filters.virtualKey.some((k) => k === meta.virtualKeyName || k === meta.virtualKeyId)) return false;
      if (filters.team && !filters.team.some((t) => t === meta.teamName || t === meta.teamId)) return false;
      if (outcomeOnly) {
        if (meta.status === null) return false;
        if (statuses && !statuses.some((match) => match(meta.status!))) return false;
        if (filters.minLatencyMs !== undefined && meta.latencyMs < filters.minLatencyMs) return false;
      }
      return true;
    },
  };
}

/** The filters as the client wrote them (echoed in the subscribe acknowledgement). */
export function describeFilters(filters: LiveFilters): Record<string, unknown> {
  return {
    ...(filters.provider ? { provider: filters.provider } : {}),
    ...(filters.model ? { model: filters.model } : {}),
    ...(filters.virtualKey ? { virtual_key: filters.virtualKey } : {}),
    ...(filters.team ? { team: filters.team } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.minLatencyMs !== undefined ? { min_latency_ms: filters.minLatencyMs } : {}),
    ...(filters.ops ? { ops: [...filters.ops] } : {}),
  };
}
