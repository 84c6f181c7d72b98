// Where an Azure OpenAI request goes (PRODUCT §3.1). Azure serves two surfaces:
//   - dated:  {resource}/openai/deployments/{deployment}/chat/completions?api-version=YYYY-MM-DD
//             — the deployment is in the path and `api-version` is required;
//   - v1:     {resource}/openai/v1/chat/completions (GA since August 2025) — OpenAI's own
//             path, no api-version, and the deployment name goes in the body's `model`.
// A provider whose base_url ends in /openai/v1 uses the v1 surface; any other base_url is the
// resource endpoint (https://<resource>.openai.azure.com) of the dated one. Both take the key
// in an `api-key` header.
import { GatewayError, gatewayErrors } from "../../errors";
import type { OpenAIChatEndpoint } from "../openai/openai-chat-adapter";
import type { UpstreamTarget } from "../types";

/** The latest GA of the dated inference API (azure-rest-api-specs, inference/stable/2024-10-21). */
export const AZURE_OPENAI_DEFAULT_API_VERSION = "2024-10-21";

const V1_SUFFIX = /\/openai\/v1$/i;
// Pasted resource URLs often carry the /openai segment already; it must not appear twice.
const OPENAI_SUFFIX = /\/openai$/i;

function missingBaseUrl(target: UpstreamTarget): GatewayError {
  return gatewayErrors.providerBaseUrlMissing(target.provider.name, "azure-openai", "set it to https://<resource>.openai.azure.com, or https://<resource>.openai.azure.com/openai/v1 for the v1 API");
}

/** The deployment serving the routed model: the provider's `deployments` map, else the model name itself. */
export function azureDeploymentFor(target: UpstreamTarget): string {
  return target.provider.adapterSettings?.deployments?.[target.model] ?? target.model;
}

export function azureOpenAIEndpoint(target: UpstreamTarget): OpenAIChatEndpoint {
  const base = target.provider.baseUrl?.trim().replace(/\/+$/, "");
  if (!base) throw missingBaseUrl(target);
  const deployment = azureDeploymentFor(target);
  const apiVersion = target.provider.adapterSettings?.apiVersion;
  const authHeaders = { "api-key": target.key.secret };
  let url: URL;
  try {
    if (V1_SUFFIX.test(base)) {
      url = new URL(`${base}/chat/completions`);
      // The v1 surface needs none; a configured one (e.g. "preview") is passed as given.
      if (apiVersion) url.searchParams.set("api-version", apiVersion);
    } else {
      url = new URL(`${base.replace(OPENAI_SUFFIX, "")}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions`);
      url.searchParams.set("api-version", apiVersion ?? AZURE_OPENAI_DEFAULT_API_VERSION);
    }
  } catch {
    throw new GatewayError({
      status: 400,
      type: "invalid_request_error",
      code: "provider_base_url_invalid",
      message: `Provider '${target.provider.name}' (type azure-openai) has an invalid base_url '${base}'.`,
      source: "gateway",
      provider: target.provider.name,
    });
  }
  return { url, authHeaders, model: deployment };
}
