// Bedrock failures → GatewayError. Bedrock names its error in the x-amzn-ErrorType header
// ("ThrottlingException:http://internal.amazon.com/coral/…") with a body of {"message": …};
// inside a ConverseStream the name is the `:exception-type` header of an exception frame
// ("throttlingException"). The adapter's parseError sees only the status and the body, so
// the name is taken from the body when present (`__type`, as some AWS front ends add it) and
// otherwise inferred from the status. Retry decisions read `retryable`, set from the name.
import { GatewayError } from "../../errors";

interface ExceptionKind {
  readonly status: number;
  readonly type: string;
  readonly retryable: boolean;
}

/** Keyed by the exception name with a lower-case first letter (the stream's spelling). */
const EXCEPTIONS: Readonly<Record<string, ExceptionKind>> = {
  throttlingException: { status: 429, type: "rate_limit_error", retryable: true },
  validationException: { status: 400, type: "invalid_request_error", retryable: false },
  accessDeniedException: { status: 403, type: "permission_error", retryable: false },
  unrecognizedClientException: { status: 403, type: "authentication_error", retryable: false },
  invalidSignatureException: { status: 403, type: "authentication_error", retryable: false },
  incompleteSignatureException: { status: 403, type: "authentication_error", retryable: false },
  expiredTokenException: { status: 403, type: "authentication_error", retryable: false },
  resourceNotFoundException: { status: 404, type: "not_found_error", retryable: false },
  serviceQuotaExceededException: { status: 400, type: "invalid_request_error", retryable: false },
  modelTimeoutException: { status: 408, type: "timeout_error", retryable: true },
  modelErrorException: { status: 424, type: "server_error", retryable: true },
  modelNotReadyException: { status: 429, type: "rate_limit_error", retryable: true },
  modelStreamErrorException: { status: 424, type: "server_error", retryable: true },
  serviceUnavailableException: { status: 503, type: "server_error", retryable: true },
  internalServerException: { status: 500, type: "server_error", retryable: true },
};

/** "ThrottlingException:http://…" / "throttlingException" → "ThrottlingException". */
export function normalizeExceptionName(raw: string): string {
  const name = raw.split(":")[0]!.split("#").pop()!.trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function kindOf(name: string): ExceptionKind | undefined {
  return EXCEPTIONS[name.charAt(0).toLowerCase() + name.slice(1)];
}

function nameForStatus(status: number, message: string): string {
  switch (status) {
    case 400:
      return "ValidationException";
    case 401:
    case 403:
      if (/signature|credential should be scoped/i.test(message)) return "InvalidSignatureException";
      if (/security token|api key|authentication/i.test(message)) return "UnrecognizedClientException";
      return "AccessDeniedException";
    case 404:
      return "ResourceNotFoundException";
    case 408:
      return "ModelTimeoutException";
    case 424:
      return "ModelErrorException";
    case 429:
      return "ThrottlingException";
    case 503:
      return "ServiceUnavailableException";
    default:
      return status >= 500 ? "InternalServerException" : "ValidationException";
  }
}

export interface BedrockErrorInit {
  readonly name: string;
  readonly message: string;
  /** HTTP status when there was one (a response); stream exceptions take the name's status. */
  readonly status?: number;
  readonly retryAfterSeconds?: number | null;
}

export function bedrockError(init: BedrockErrorInit): GatewayError {
  const name = normalizeExceptionName(init.name);
  const kind = kindOf(name);
  const status = init.status ?? kind?.status ?? 502;
  return new GatewayError({
    status,
    type: kind?.type ?? (status >= 500 ? "server_error" : "invalid_request_error"),
    code: name,
    message: `bedrock: ${init.message}`,
    source: "upstream",
    provider: "bedrock",
    retryable: kind?.retryable ?? (status === 429 || status >= 500 || status === 408),
    retryAfterSeconds: init.retryAfterSeconds ?? null,
  });
}

/** An error response (status ≥ 400) → GatewayError. */
export function parseBedrockError(status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError {
  let message = bodyText.trim().slice(0, 2_000) || `HTTP ${status}`;
  let name: string | null = null;
  try {
    const parsed = JSON.parse(bodyText) as Record<string, unknown>;
    const text = parsed.message ?? parsed.Message;
    if (typeof text === "string") message = text;
    const type = parsed.__type ?? parsed.code;
    if (typeof type === "string" && type !== "") name = type;
  } catch {
    // Not JSON (a proxy's HTML page): keep the text.
  }
  return bedrockError({ name: name ?? nameForStatus(status, message), message, status, retryAfterSeconds });
}
