// Azure OpenAI (PRODUCT §3.1): OpenAI's chat wire format, request and response, behind
// Azure's URL and `api-key` auth (azure-openai-endpoint.ts). Errors have OpenAI's shape
// ({"error": {"code", "message", ...}}, `type` often null), which the factory's parser reads.
// Two Azure stream habits are handled: chunks that carry only content-filter annotations
// (`choices: []` with `prompt_filter_results`, id "" and created 0, before the first token;
// choices without a delta later) are skipped, so they neither start the message with an
// empty id nor count as content.
import { createOpenAIChatAdapter } from "../openai/openai-chat-adapter";
import type { PassthroughCapable, ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from "../types";
import { createStreamUsageWatcher } from "../../usage/stream-usage-watcher";
import { readOpenAIUsage } from "../../usage/token-usage";
import { azureOpenAIEndpoint } from "./azure-openai-endpoint";

type Json = Record<string, unknown>;

/** Unused: every request is built by `azureOpenAIEndpoint`, which requires the provider's base_url. */
const NO_DEFAULT_BASE_URL = "http://base-url-not-configured.invalid";

function isFilterAnnotationOnly(chunk: Json): boolean {
  if (chunk.usage !== undefined && chunk.usage !== null) return false;
  const choices = Array.isArray(chunk.choices) ? (chunk.choices as unknown[]) : [];
  return choices.every((choice) => {
    const c = choice as Json | null;
    return c === null || typeof c !== "object" || (c.delta === undefined && (c.finish_reason === undefined || c.finish_reason === null));
  });
}

const translated = createOpenAIChatAdapter({
  id: "azure-openai",
  defaultBaseUrl: NO_DEFAULT_BASE_URL,
  dialect: { endpoint: azureOpenAIEndpoint, ignoreChunk: isFilterAnnotationOnly },
});

export const azureOpenAIAdapter: ProviderAdapter & PassthroughCapable = {
  ...translated,
  // A chat client's body goes to Azure as sent (PRODUCT §3.4), with the deployment as `model`.
  buildPassthroughRequest(body: Record<string, unknown>, target: UpstreamTarget): UpstreamHttpRequest {
    const endpoint = azureOpenAIEndpoint(target);
    return {
      url: endpoint.url,
      method: "POST",
      headers: { ...target.provider.headers, "content-type": "application/json", ...endpoint.authHeaders },
      body: JSON.stringify({ ...body, model: endpoint.model }),
    };
  },
  usageFromJson: (body) => readOpenAIUsage((body as Json | null)?.usage),
  createUsageWatcher: createStreamUsageWatcher,
};
