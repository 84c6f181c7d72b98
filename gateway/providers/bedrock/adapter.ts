// Amazon Bedrock through the Converse API (PRODUCT §3.1): canonical → POST
// /model/{modelId}/converse (or /converse-stream) on bedrock-runtime.{region}.amazonaws.com,
// or on the provider's base URL when one is configured (VPC endpoints, proxies, the mock).
// The provider key's secret is "ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]" (SigV4,
// region from the provider's settings) or a Bedrock API key (bearer). The converters live
// one concern per file beside this one.
import type { CanonicalRequest, TransformLog } from "../../formats/canonical";
import type { ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { parseBedrockError } from "./errors";
import { buildConverseBody } from "./request";
import { parseConverseResponse } from "./response";
import { bedrockCredentialsFrom, signSigV4 } from "./signing";
import { createConverseStreamDecoder } from "./stream";
import { BEDROCK_DEFAULT_REGION, BEDROCK_SIGNING_SERVICE, bedrockRuntimeEndpoint } from "./wire";

export function bedrockRegion(target: UpstreamTarget): string {
  return target.provider.adapterSettings?.region ?? BEDROCK_DEFAULT_REGION;
}

/** The model id is one path segment: ARNs and ids with ":" ("…-v1:0") are percent-encoded. */
export function converseUrl(target: UpstreamTarget, stream: boolean): URL {
  const base = (target.provider.baseUrl ?? bedrockRuntimeEndpoint(bedrockRegion(target))).replace(/\/+$/, "");
  return new URL(`${base}/model/${encodeURIComponent(target.model)}/${stream ? "converse-stream" : "converse"}`);
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

export const bedrockAdapter: ProviderAdapter = {
  id: "bedrock",
  wireApi: "bedrock_converse",

  buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest {
    const body = JSON.stringify(buildConverseBody(request, target.model, transforms));
    const url = converseUrl(target, request.stream);
    const headers = {
      ...lowerCaseHeaders(target.provider.headers),
      "content-type": "application/json",
      accept: request.stream ? "application/vnd.amazon.eventstream" : "application/json",
    };
    const credentials = bedrockCredentialsFrom(target.key.secret);
    if (credentials.kind === "api_key") {
      return { url, method: "POST", headers: { ...headers, authorization: `Bearer ${credentials.apiKey}` }, body };
    }
    // Signed over these exact bytes: the pipeline must send `body` unchanged.
    const signed = signSigV4({
      method: "POST",
      url,
      headers,
      body,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      region: bedrockRegion(target),
      service: BEDROCK_SIGNING_SERVICE,
      now: target.now,
    });
    return { url, method: "POST", headers: signed, body };
  },

  parseResponse: parseConverseResponse,
  createStreamDecoder: createConverseStreamDecoder,
  parseError: parseBedrockError,
};
