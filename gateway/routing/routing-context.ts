// The CEL activation for one request. Every declared variable is always present (empty
// string / map / list, 0 usage) so that a condition about an absent value evaluates to
// false instead of failing with "unknown variable".

import type { RouteRequest } from "./types";

export interface RoutingActivation {
  readonly model: string;
  readonly provider: string;
  readonly request_type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly key: Readonly<Record<string, string>>;
  readonly team: Readonly<Record<string, string>>;
  readonly customer: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly budget_used: number;
  readonly tokens_used: number;
  readonly requests_used: number;
}

/** Header names are case-insensitive in HTTP: rules always see them lower-cased; repeated values are joined as HTTP does. */
export function lowerCaseHeaders(headers: RouteRequest["headers"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = typeof value === "string" ? value : value.join(", ");
  }
  return result;
}

/** Top-level scalars only: messages and tools are large, and conditions on them would be slow and fragile. */
export function scalarParams(body: RouteRequest["body"]): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  if (!body) return result;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      result[name] = value;
    }
  }
  return result;
}

function fraction(value: number | undefined): number {
  return value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, value);
}

function entity(value: { id: string; name: string } | null): Record<string, string> {
  return value ? { id: value.id, name: value.name } : { id: "", name: "" };
}

/**
 * @param model the model after alias resolution and with any `provider/` prefix removed
 * @param provider the explicit provider from `provider/model`, or "" when none
 */
export function buildRoutingActivation(request: RouteRequest, model: string, provider: string): RoutingActivation {
  return {
    model,
    provider,
    request_type: request.requestType,
    headers: lowerCaseHeaders(request.headers),
    params: scalarParams(request.body),
    key: entity(request.key),
    team: entity(request.team),
    customer: entity(request.customer),
    metadata: { ...request.metadata },
    tags: [...(request.tags ?? [])],
    budget_used: fraction(request.usage?.budgetUsed),
    tokens_used: fraction(request.usage?.tokensUsed),
    requests_used: fraction(request.usage?.requestsUsed),
  };
}
