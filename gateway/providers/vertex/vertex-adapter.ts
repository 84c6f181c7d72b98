// Provider adapter for Gemini models on Vertex AI (PRODUCT §3.1). Same generateContent body,
// responses and streams as the Gemini API (gateway/providers/gemini/, reused whole); what
// differs is the address — a project and a location —
//   https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
// and the credential: `Authorization: Bearer {key}`, where the provider key is an OAuth 2
// access token (e.g. `gcloud auth print-access-token`). The gateway does not exchange
// service-account JSON for tokens: a key holding one is sent as is and Google answers 401.
//
// Settings (provider.adapterSettings): project_id (required), location (else region, else
// us-central1). A base URL replaces the scheme and host (private endpoints, proxies, tests).
import { GatewayError } from "../../errors";
import { createGeminiFamilyAdapter, generateContentMethod, type GeminiEndpoint } from "../gemini/gemini-adapter";
import type { UpstreamTarget } from "../types";

export const DEFAULT_VERTEX_LOCATION = "us-central1";

function missingProject(providerName: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: "invalid_request_error",
    code: "provider_misconfigured",
    message: `Provider '${providerName}' (type 'vertex') has no project id: set project_id in the provider's settings.`,
    source: "gateway",
    provider: providerName,
  });
}

/** The global location has no regional host. */
function vertexHost(location: string): string {
  return location === "global" ? "https://aiplatform.googleapis.com" : `https://${location}-aiplatform.googleapis.com`;
}

/** A key pasted as service-account JSON would reach Google as a Bearer token and fail with an opaque 401. */
function serviceAccountKey(providerName: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: "invalid_request_error",
    code: "provider_misconfigured",
    message: `The key of provider '${providerName}' (type 'vertex') is service-account JSON; the gateway needs an OAuth access token (for instance from 'gcloud auth print-access-token') and does not exchange credentials.`,
    source: "gateway",
    provider: providerName,
  });
}

export function vertexEndpoint(target: UpstreamTarget, stream: boolean): GeminiEndpoint {
  const settings = target.provider.adapterSettings ?? {};
  const projectId = settings.projectId;
  if (projectId === undefined) throw missingProject(target.provider.name);
  if (target.key.secret.trimStart().startsWith("{")) throw serviceAccountKey(target.provider.name);
  const location = settings.location ?? settings.region ?? DEFAULT_VERTEX_LOCATION;
  const base = (target.provider.baseUrl ?? vertexHost(location)).replace(/\/+$/, "");
  // A base that already names the API version (…/v1, …/v1beta1) keeps it.
  const root = /\/v1(beta1)?$/.test(base) ? base : `${base}/v1`;
  const model = target.model.split("/").map(encodeURIComponent).join("/");
  const path = `/projects/${encodeURIComponent(projectId)}/locations/${encodeURIComponent(location)}/publishers/google/models/${model}`;
  return {
    url: new URL(`${root}${path}${generateContentMethod(stream)}`),
    headers: { authorization: `Bearer ${target.key.secret}` },
  };
}

export const vertexAdapter = createGeminiFamilyAdapter({ id: "vertex", vertex: true, endpoint: vertexEndpoint });
