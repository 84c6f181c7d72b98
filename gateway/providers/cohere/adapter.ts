// Cohere through its v2 Chat API (PRODUCT §3.1): canonical → POST {base}/v2/chat with the
// provider key as a bearer token. The base URL defaults to https://api.cohere.com; a
// configured base may end in /v2 or not. Converters live one concern per file beside this one.
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import type { ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { parseCohereError } from "./errors";
import { buildCohereChatBody } from "./request";
import { parseCohereResponse } from "./response";
import { createCohereStreamDecoder } from "./stream";
import { COHERE_BASE_URL } from "./wire";

export function cohereChatUrl(baseUrl: string | null): URL {
  const base = (baseUrl ?? COHERE_BASE_URL).replace(/\/+$/, "").replace(/\/v2$/, "");
  return new URL(`${base}/v2/chat`);
}

export const cohereAdapter: ProviderAdapter = {
  id: "cohere",
  wireApi: "cohere_chat",

  buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
    const body = buildCohereChatBody(request, target.model, transforms);
    return {
      url: cohereChatUrl(target.provider.baseUrl),
      method: "POST",
      headers: {
        ...target.provider.headers,
        "content-type": "application/json",
        accept: request.stream ? "text/event-stream" : "application/json",
        authorization: `Bearer ${target.key.secret}`,
      },
      body: JSON.stringify(body),
    };
  },

  parseResponse: parseCohereResponse,
  createStreamDecoder: createCohereStreamDecoder,
  parseError: parseCohereError,
};
