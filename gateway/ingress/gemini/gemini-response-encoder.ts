// Canonical response and errors → what a Gemini client reads: a GenerateContentResponse
// ({candidates, usageMetadata, modelVersion, responseId}) and Google's error shape
// {"error":{"code","message","status","details"}}.
import { randomBytes } from "node:crypto";
import type { GatewayError } from "../../errors";
import type { CanonicalResponse, StopReason } from "../../formats/canonical";
import { googleStatusFor } from "../../providers/gemini/gemini-errors";
import { assistantBlocksToParts } from "../../providers/gemini/gemini-parts";
import { geminiUsageMetadata } from "../../providers/gemini/gemini-usage";
import type { Json } from "../../providers/gemini/gemini-wire";

export function finishReasonFor(reason: StopReason): string {
  switch (reason) {
    case "max_tokens":
      return "MAX_TOKENS";
    case "content_filter":
    case "refusal":
      return "SAFETY";
    case "error":
      return "OTHER";
    default:
      // Gemini ends function-calling turns with STOP too.
      return "STOP";
  }
}

/** Gemini response ids are opaque tokens; an upstream id is reused, without another family's prefix noise. */
export function responseIdOf(id: string): string {
  return id !== "" ? id : randomBytes(12).toString("base64url");
}

export function encodeGeminiResponse(response: CanonicalResponse, model: string): Json {
  return {
    candidates: [
      {
        // Function calls keep their canonical ids, so a Gemini client may echo them in functionResponse.id.
        content: { role: "model", parts: assistantBlocksToParts(response.content, { functionCallIds: true }) },
        finishReason: finishReasonFor(response.stopReason),
        index: 0,
      },
    ],
    usageMetadata: geminiUsageMetadata(response.usage),
    modelVersion: model,
    responseId: responseIdOf(response.id),
  };
}

export function geminiErrorBody(error: GatewayError): Json {
  // Upstream failures say so in the message (clients show it), and in x-switchyard-error-source.
  const message = error.source === "upstream" && error.provider ? `${error.message} (upstream: ${error.provider})` : error.message;
  return {
    error: {
      code: error.status,
      message,
      status: googleStatusFor(error.status),
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: (error.code ?? error.type).toUpperCase(),
          domain: "switchyard",
          metadata: { source: error.source, type: error.type, ...(error.provider ? { provider: error.provider } : {}) },
        },
      ],
    },
  };
}
