// Turning a URL query string into a zod-validated object with issues a client can act on:
// unknown parameters are named (STYLE §6), and a repeated parameter is an error rather
// than one value silently winning.
import type { z } from "zod";

export interface QueryIssue {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; issues: QueryIssue[] };

export function parseQueryParams<S extends z.ZodType>(schema: S, params: URLSearchParams): ParseResult<z.output<S>> {
  const raw: Record<string, string> = {};
  const issues: QueryIssue[] = [];
  for (const [key, value] of params) {
    if (key in raw) issues.push({ path: key, message: "given more than once" });
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) issues.push({ path: key, message: "unknown query parameter" });
      } else {
        issues.push({ path: issue.path.join(".") || "(query)", message: issue.message });
      }
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, data: parsed.data };
}

/** The 400 body every admin API handler uses for a bad query string. */
export function invalidQueryResponse(issues: QueryIssue[]): Response {
  return Response.json({ error: { type: "invalid_request", message: "Invalid query parameters", issues } }, { status: 400 });
}
