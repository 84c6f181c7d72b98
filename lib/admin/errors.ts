// Errors are data (STYLE §4): services throw AdminError, the route layer turns it into
// `{ "error": { "code", "message", "issues"? } }` with the matching status.
import type { z } from "zod";

export type AdminErrorCode = "invalid_request" | "unauthenticated" | "forbidden" | "not_found" | "conflict";
export interface AdminIssue {
  path: string;
  message: string;
}

const STATUS: Record<AdminErrorCode, 400 | 401 | 403 | 404 | 409> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export class AdminError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409;
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly issues?: AdminIssue[],
  ) {
    super(message);
    this.name = "AdminError";
    this.status = STATUS[code];
  }

  toJSON(): { error: { code: AdminErrorCode; message: string; issues?: AdminIssue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export function notFound(what: string, id: string): AdminError {
  return new AdminError("not_found", `No ${what} with id ${id}`);
}

export function forbidden(message: string): AdminError {
  return new AdminError("forbidden", message);
}

/**
 * Parses admin input with a strict schema. Unknown fields are named in the message
 * (STYLE §6): silently dropping them is how budgets got lost in other gateways.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "request body"): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: AdminIssue[] = [];
  const unknown: string[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key].join(".");
        unknown.push(path);
        issues.push({ path, message: "unknown field" });
      }
    } else {
      issues.push({ path: issue.path.join(".") || "(root)", message: issue.message });
    }
  }
  const message =
    unknown.length > 0 ? `Unknown field${unknown.length > 1 ? "s" : ""} in ${what}: ${unknown.join(", ")}` : `Invalid ${what}`;
  throw new AdminError("invalid_request", message, issues);
}

/** Query strings: a repeated parameter would silently drop a filter, so it is an error. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in raw) throw new AdminError("invalid_request", `Query parameter ${key} given more than once`, [{ path: key, message: "given more than once" }]);
    raw[key] = value;
  }
  return parseInput(schema, raw, "query parameters");
}
