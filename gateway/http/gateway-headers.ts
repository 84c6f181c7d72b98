// Response headers clients and dashboards rely on (PRODUCT §2.7). Names are stable.
export const HEADER_REQUEST_ID = "x-request-id";
export const HEADER_PROVIDER = "x-switchyard-provider";
export const HEADER_MODEL = "x-switchyard-model";
export const HEADER_ATTEMPTS = "x-switchyard-attempts";
export const HEADER_CACHE = "x-switchyard-cache";
export const HEADER_COST_USD = "x-switchyard-cost-usd";

export interface ProxiedHeaderValues {
  provider: string;
  model: string;
  attempts: number;
}

/** Headers for a response that went to a provider; cost is added once usage is known. */
export function proxiedHeaders(values: ProxiedHeaderValues): Record<string, string> {
  return {
    [HEADER_PROVIDER]: values.provider,
    [HEADER_MODEL]: values.model,
    [HEADER_ATTEMPTS]: String(values.attempts),
    // Caching arrives in a later issue; "none" says the cache was not consulted.
    [HEADER_CACHE]: "none",
  };
}
