// Errors are data (STYLE §4): every failure on the hot path becomes one GatewayError,
// and retry/fallback (gateway/routing/retry-policy.ts) decide on `retryable` and `type`, never on text.

export type ErrorSource = "gateway" | "upstream";

export interface GatewayErrorInit {
  status: number;
  /** OpenAI-style error type, e.g. invalid_request_error, authentication_error. */
  type: string;
  message: string;
  source: ErrorSource;
  retryable?: boolean;
  /** Machine-readable code (OpenAI `error.code`), e.g. invalid_api_key, model_not_found. */
  code?: string | null;
  param?: string | null;
  provider?: string | null;
  /** Sent as the `retry-after` header (rate limits). */
  retryAfterSeconds?: number | null;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly source: ErrorSource;
  readonly retryable: boolean;
  readonly code: string | null;
  readonly param: string | null;
  readonly provider: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.name = "GatewayError";
    this.status = init.status;
    this.type = init.type;
    this.source = init.source;
    this.retryable = init.retryable ?? false;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.provider = init.provider ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

/** The OpenAI error body every OpenAI-compatible client knows how to parse. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toOpenAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

/** Anything thrown that is not a GatewayError is a gateway bug: hide details, keep a 500. */
export function asGatewayError(thrown: unknown): GatewayError {
  if (thrown instanceof GatewayError) return thrown;
  return new GatewayError({
    status: 500,
    type: "server_error",
    code: "internal_error",
    message: "Switchyard gateway internal error",
    source: "gateway",
  });
}

// Constructors for the cases the hot path produces, so that status/type/code stay consistent.
export const gatewayErrors = {
  invalidJson: (detail: string) =>
    new GatewayError({ status: 400, type: "invalid_request_error", code: "invalid_json", message: `Request body is not valid JSON: ${detail}`, source: "gateway" }),
  invalidRequest: (message: string, param: string | null = null) =>
    new GatewayError({ status: 400, type: "invalid_request_error", code: "invalid_request", message, param, source: "gateway" }),
  missingApiKey: () =>
    new GatewayError({ status: 401, type: "invalid_request_error", code: "missing_api_key", message: "No API key provided. Send it as 'Authorization: Bearer <key>'.", source: "gateway" }),
  invalidApiKey: (reason = "Incorrect API key provided.") =>
    new GatewayError({ status: 401, type: "invalid_request_error", code: "invalid_api_key", message: reason, source: "gateway" }),
  modelNotFound: (model: string, why: string) =>
    new GatewayError({ status: 404, type: "invalid_request_error", code: "model_not_found", param: "model", message: `The model '${model}' does not exist or is not available: ${why}`, source: "gateway" }),
  notAllowed: (message: string) =>
    new GatewayError({ status: 403, type: "permission_error", code: "model_not_allowed", param: "model", message, source: "gateway" }),
  bodyTooLarge: (limit: number) =>
    new GatewayError({ status: 413, type: "invalid_request_error", code: "request_too_large", message: `Request body exceeds the gateway limit of ${limit} bytes.`, source: "gateway" }),
  routeNotFound: (method: string, path: string) =>
    new GatewayError({ status: 404, type: "invalid_request_error", code: "unknown_url", message: `Unknown request URL: ${method} ${path}.`, source: "gateway" }),
  noProviderKey: (provider: string) =>
    new GatewayError({ status: 503, type: "server_error", code: "no_provider_key", message: `Provider '${provider}' has no enabled key for this model (gateway configuration).`, source: "gateway", provider, retryable: true }),
  /** A provider row whose type has no public default URL (openai-compatible, vllm, azure-openai, ...) and no base_url: a configuration error, so the chain falls back to its next target. */
  providerBaseUrlMissing: (provider: string, type: string, hint = "set it in the provider's configuration") =>
    new GatewayError({ status: 503, type: "server_error", code: "provider_base_url_missing", message: `Provider '${provider}' (type ${type}) has no base_url: ${hint} (gateway configuration).`, source: "gateway", provider, retryable: true }),
  upstreamUnreachable: (provider: string, detail: string) =>
    new GatewayError({ status: 502, type: "upstream_error", code: "upstream_unreachable", message: `The upstream provider '${provider}' failed: ${detail}`, source: "upstream", provider, retryable: true }),
  upstreamTimeout: (provider: string, phase: "connect" | "first_byte" | "stream_idle", detail: string) =>
    new GatewayError({ status: 504, type: "upstream_error", code: "upstream_timeout", message: `The upstream provider '${provider}' timed out (${phase.replace("_", " ")}): ${detail}`, source: "upstream", provider, retryable: true }),
  upstreamBadResponse: (provider: string, detail: string) =>
    new GatewayError({ status: 502, type: "upstream_error", code: "upstream_bad_response", message: `The upstream provider '${provider}' returned an invalid response: ${detail}`, source: "upstream", provider, retryable: true }),
  clientClosed: () =>
    new GatewayError({ status: 499, type: "client_closed_request", code: "client_closed", message: "The client closed the connection before the response completed.", source: "gateway" }),
};
