// Errors in the OpenAI Responses API's shapes (PRODUCT §2.6). Before the first byte: the
// usual OpenAI body `{"error":{message,type,param,code}}` with the status. Inside a stream:
// an `error` event. The SDK types (ResponseErrorEvent) put code/message/param at the top of
// that event, while the live API has been seen sending them nested under `error` — which is
// also what the OpenAI SDKs test (`data.error`) to throw. The gateway sends both, so either
// reading finds the failure and the Node/Python SDKs raise instead of ending silently.
import { GatewayError, toOpenAIErrorBody, type OpenAIErrorBody } from "../../errors";
import type { EncodedError, OutgoingSseFrame } from "../types";

/** A 400 the way the Responses API words it, naming the offending parameter. */
export function invalidParam(message: string, param: string | null, code: string | null = "invalid_value"): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code, param, message, source: "gateway" });
}

export const responsesErrors = {
  unknown: (param: string) => invalidParam(`Unknown parameter: '${param}'.`, param, "unknown_parameter"),
  missing: (param: string, hint = "") => invalidParam(`Missing required parameter: '${param}'.${hint}`, param, "missing_required_parameter"),
  type: (param: string, expected: string, got: unknown) => invalidParam(`Invalid type for '${param}': expected ${expected}, but got ${describe(got)} instead.`, param, "invalid_type"),
  value: (param: string, got: unknown, supported: readonly string[]) =>
    invalidParam(`Invalid value: ${JSON.stringify(got)}. Supported values are: ${supported.map((s) => `'${s}'`).join(", ")}.`, param, "invalid_value"),
  range: (param: string, got: number, kind: "integer" | "decimal", bound: { min: number } | { max: number }) =>
    "min" in bound
      ? invalidParam(`Invalid '${param}': ${kind} below minimum value. Expected a value >= ${bound.min}, but got ${got} instead.`, param, `${kind}_below_min_value`)
      : invalidParam(`Invalid '${param}': ${kind} above maximum value. Expected a value <= ${bound.max}, but got ${got} instead.`, param, `${kind}_above_max_value`),
  unsupported: (param: string, why: string) => invalidParam(`'${param}' is not supported through the Switchyard gateway: ${why}`, param, "unsupported_parameter"),
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a decimal";
  return `a ${typeof value}`;
}

/** The message says who failed: clients show it, and the header says it to machines. */
function clientMessage(error: GatewayError): string {
  if (error.source !== "upstream" || !error.provider || /upstream/i.test(error.message)) return error.message;
  return `${error.message} (upstream: ${error.provider})`;
}

export function responsesErrorBody(error: GatewayError): OpenAIErrorBody {
  const body = toOpenAIErrorBody(error);
  return { error: { ...body.error, message: clientMessage(error) } };
}

export function encodeResponsesError(error: GatewayError): EncodedError {
  return { status: error.status, body: responsesErrorBody(error), headers: { "x-switchyard-error-source": error.source } };
}

/** The `error` event data for a stream; `sequenceNumber` continues the stream's numbering. */
export function errorEventData(error: GatewayError, sequenceNumber: number): Record<string, unknown> {
  const { error: inner } = responsesErrorBody(error);
  return { type: "error", sequence_number: sequenceNumber, code: inner.code ?? inner.type, message: inner.message, param: inner.param, error: inner };
}

/**
 * The stream error when the caller has no per-stream state (the pipeline renders some
 * failures without the stream encoder). The sequence number cannot continue the stream's
 * there; the encoder's own `error` handling (responses-stream-encoder.ts) numbers it
 * correctly and adds `response.failed`.
 */
export function encodeResponsesStreamError(error: GatewayError): OutgoingSseFrame[] {
  return [{ event: "error", data: JSON.stringify(errorEventData(error, 0)) }];
}
