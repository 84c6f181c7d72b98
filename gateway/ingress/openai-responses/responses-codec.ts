// Ingress codec for the OpenAI Responses API (PRODUCT §2.1: POST /v1/responses, which Codex
// CLI speaks), to and from the canonical model. The pieces live beside it, one concern each:
// decode-responses-request.ts (validation + decode), encode-responses-response.ts (JSON
// response and output items), responses-stream-encoder.ts (SSE events), responses-errors.ts.
import type { IngressCodec } from "../types";
import { decodeResponsesRequest } from "./decode-responses-request";
import { encodeResponsesResponse } from "./encode-responses-response";
import { encodeResponsesError, encodeResponsesStreamError } from "./responses-errors";
import { createResponsesStreamEncoder } from "./responses-stream-encoder";

export const openaiResponsesCodec: IngressCodec = {
  api: "openai_responses",
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeResponse: encodeResponsesResponse,
  createStreamEncoder: createResponsesStreamEncoder,
  encodeError: encodeResponsesError,
  encodeStreamError: encodeResponsesStreamError,
};
