// Ingress codec for the Gemini API (PRODUCT §2): what Google's SDKs and Gemini CLI send to
// /genai/v1beta/models/{model}:generateContent, to and from the canonical model. Decoding is
// in gemini-request-decoder.ts, the JSON answer and errors in gemini-response-encoder.ts, the
// `?alt=sse` stream in gemini-stream-encoder.ts.
//
// `streamGenerateContent` without `alt=sse` answers one JSON array of response chunks (the
// REST default, used by some clients). The gateway serves it as a single non-streamed answer
// in a one-element array: the same content, just not incremental. `geminiJsonArrayCodec`
// is that variant; errors there are arrays too, as Google sends them.
import type { GatewayError } from "../../errors";
import type { CanonicalResponse } from "../../formats/canonical";
import type { EncodedError, IngressCodec, OutgoingSseFrame } from "../types";
import { decodeGeminiRequest } from "./gemini-request-decoder";
import { encodeGeminiResponse, geminiErrorBody } from "./gemini-response-encoder";
import { createGeminiStreamEncoder } from "./gemini-stream-encoder";

function encodeError(error: GatewayError): EncodedError {
  return { status: error.status, body: geminiErrorBody(error), headers: { "x-switchyard-error-source": error.source } };
}

export const geminiCodec: IngressCodec = {
  api: "gemini",
  decodeRequest: decodeGeminiRequest,
  encodeResponse: (response: CanonicalResponse, model: string) => encodeGeminiResponse(response, model),
  createStreamEncoder: createGeminiStreamEncoder,
  encodeError,
  // Google sends a failure inside a running stream as one more data event holding {"error": ...}.
  encodeStreamError: (error: GatewayError): OutgoingSseFrame[] => [{ event: undefined, data: JSON.stringify(geminiErrorBody(error)) }],
};

export const geminiJsonArrayCodec: IngressCodec = {
  ...geminiCodec,
  encodeResponse: (response: CanonicalResponse, model: string) => [encodeGeminiResponse(response, model)],
  encodeError(error: GatewayError): EncodedError {
    const encoded = encodeError(error);
    return { ...encoded, body: [encoded.body] };
  },
};
