// One cached answer: what the client received, in its own wire format (status, headers,
// body bytes or SSE frames in order), plus what it cost when it was produced — the saving
// a hit reports. Entries are immutable once stored.
export interface CachedResponse {
  readonly kind: "json" | "sse";
  readonly status: number;
  /** Headers as sent live, minus per-request ones (request id, cost, attempts, cache, length). */
  readonly headers: Readonly<Record<string, string>>;
  /** json: one element, the body; sse: one element per event frame, in order. */
  readonly chunks: readonly Buffer[];
}

export interface CacheEntry {
  /** Exact entries: the exact key (sha256 hex). Semantic entries: a UUID. */
  readonly id: string;
  readonly namespace: string;
  readonly clientApi: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  /** What the original request was billed (USD): a hit saves this much. */
  readonly costUsd: number;
  readonly provider: string | null;
  readonly model: string | null;
  readonly response: CachedResponse;
}

export function entryBytes(entry: CacheEntry): number {
  let bytes = 512;
  for (const chunk of entry.response.chunks) bytes += chunk.length;
  for (const [name, value] of Object.entries(entry.response.headers)) bytes += name.length + value.length;
  return bytes;
}

interface EncodedEntry {
  id: string;
  namespace: string;
  clientApi: string;
  createdAtMs: number;
  expiresAtMs: number;
  costUsd: number;
  provider: string | null;
  model: string | null;
  kind: "json" | "sse";
  status: number;
  headers: Record<string, string>;
  chunks: string[];
}

/** JSON text for Redis / Postgres; chunks as base64 so bytes round-trip exactly. */
export function encodeEntry(entry: CacheEntry): string {
  const encoded: EncodedEntry = {
    id: entry.id,
    namespace: entry.namespace,
    clientApi: entry.clientApi,
    createdAtMs: entry.createdAtMs,
    expiresAtMs: entry.expiresAtMs,
    costUsd: entry.costUsd,
    provider: entry.provider,
    model: entry.model,
    kind: entry.response.kind,
    status: entry.response.status,
    headers: { ...entry.response.headers },
    chunks: entry.response.chunks.map((c) => c.toString("base64")),
  };
  return JSON.stringify(encoded);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

/** null for anything malformed (an entry written by an older version, a truncated value). */
export function decodeEntry(text: string): CacheEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== "object") return null;
  const e = raw as Partial<EncodedEntry>;
  if (
    typeof e.id !== "string" || typeof e.namespace !== "string" || typeof e.clientApi !== "string" ||
    typeof e.createdAtMs !== "number" || typeof e.expiresAtMs !== "number" || typeof e.costUsd !== "number" ||
    (e.kind !== "json" && e.kind !== "sse") || typeof e.status !== "number" || !isStringRecord(e.headers) ||
    !Array.isArray(e.chunks) || !e.chunks.every((c) => typeof c === "string")
  ) {
    return null;
  }
  return {
    id: e.id,
    namespace: e.namespace,
    clientApi: e.clientApi,
    createdAtMs: e.createdAtMs,
    expiresAtMs: e.expiresAtMs,
    costUsd: e.costUsd,
    provider: typeof e.provider === "string" ? e.provider : null,
    model: typeof e.model === "string" ? e.model : null,
    response: { kind: e.kind, status: e.status, headers: e.headers, chunks: e.chunks.map((c) => Buffer.from(c, "base64")) },
  };
}
