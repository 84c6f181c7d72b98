// Ingress codec for OpenAI Chat Completions (PRODUCT §2.1) on translated routes: a chat
// client whose request goes to a provider of another family (Anthropic, Gemini, Bedrock,
// Cohere). When the provider speaks chat too, the passthrough (PRODUCT §3.4) applies instead.
// One file per concern: request decoding (openai-chat-request.ts), the JSON answer
// (openai-chat-response.ts), stream chunks (openai-chat-stream.ts), shared wire mappings
// (openai-chat-wire.ts).
import type { GatewayError } from "../../errors";
import type { CanonicalRequest } from "../../formats/canonical";
import type { EncodedError, IngressCodec, OutgoingSseFrame, StreamEncoder } from "../types";
import { decodeOpenAIChatRequest, includeUsageRequested } from "./openai-chat-request";
import { encodeOpenAIChatResponse } from "./openai-chat-response";
import { createOpenAIChatStreamEncoder, openAIChatErrorFrame } from "./openai-chat-stream";
import { openAIChatErrorBody } from "./openai-chat-wire";

export const openaiChatCodec: IngressCodec = {
  api: "openai_chat",
  decodeRequest: (body) => decodeOpenAIChatRequest(body),
  encodeResponse: encodeOpenAIChatResponse,
  /** The usage chunk is sent only when the client asked for it (`stream_options.include_usage`), as OpenAI does. */
  createStreamEncoder: (model: string, request: CanonicalRequest): StreamEncoder => createOpenAIChatStreamEncoder(model, { includeUsage: includeUsageRequested(request) }),
  encodeError(error: GatewayError): EncodedError {
    return { status: error.status, body: openAIChatErrorBody(error), headers: { "x-switchyard-error-source": error.source } };
  },
  encodeStreamError(error: GatewayError): OutgoingSseFrame[] {
    return [openAIChatErrorFrame(error)];
  },
};
