// The dashboard's one way to call the admin REST API from the browser. Every handler answers
// `{ data }` on success and `{ error: { code | type, message, issues?, position? } }` on
// failure; this turns the latter into an ApiError so forms can show the server's own words
// next to the field that caused them instead of a generic "something went wrong".

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    /** CEL compile errors: where in the condition the problem is (0-based, end exclusive). */
    readonly position: { start: number; end: number } | null = null,
    readonly excerpt: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The first issue for a field (`"condition"`, `"targets.0.provider"`), if the server named one. */
  issueFor(path: string): string | undefined {
    return this.issues.find((issue) => issue.path === path || issue.path.startsWith(`${path}.`))?.message;
  }

  /** Message plus the field issues, for an error shown above a whole form. */
  describe(): string {
    const extra = this.issues.filter((issue) => !this.message.includes(issue.message));
    return extra.length === 0 ? this.message : `${this.message}: ${extra.map((i) => `${i.path} ${i.message}`).join("; ")}`;
  }
}

interface ErrorBody {
  error?: { code?: string; type?: string; message?: string; issues?: ApiIssue[]; position?: { start: number; end: number }; excerpt?: string };
}

export async function apiRequest<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: report the status rather than a JSON parse error.
  }
  if (!response.ok) {
    const error = (json as ErrorBody | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? error?.type ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      error?.issues ?? [],
      error?.position ?? null,
      error?.excerpt ?? null,
    );
  }
  return json as T;
}

/** For endpoints answering `{ data }`. */
export async function apiData<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const body = await apiRequest<{ data: T }>(path, init);
  return body.data;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}
