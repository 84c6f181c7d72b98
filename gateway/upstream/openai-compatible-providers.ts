// Provider types that speak the OpenAI Chat Completions wire format, with their public default
// base URLs (used when a provider row has no base_url; null: the type has no public endpoint,
// so a base_url is required). The one table for the passthrough and the translating adapters
// (gateway/providers/registry.ts), so both resolve a provider to the same URL.

export const OPENAI_COMPATIBLE_BASE_URLS: Readonly<Record<string, string | null>> = {
  openai: "https://api.openai.com/v1",
  "openai-compatible": null,
  mistral: "https://api.mistral.ai/v1",
  groq: "https://api.groq.com/openai/v1",
  deepseek: "https://api.deepseek.com/v1",
  xai: "https://api.x.ai/v1",
  together: "https://api.together.xyz/v1",
  openrouter: "https://openrouter.ai/api/v1",
  vllm: null,
  ollama: "http://127.0.0.1:11434/v1",
};

export function isOpenAICompatibleType(type: string): boolean {
  return Object.hasOwn(OPENAI_COMPATIBLE_BASE_URLS, type);
}

/**
 * Whether an OpenAI chat request goes to this provider byte for byte (the fast passthrough).
 * Mistral speaks chat too, but rejects what OpenAI SDKs echo back (`refusal: null`, foreign
 * tool-call ids, `stream_options`), so it goes through its adapter's normalization; a provider
 * set to the Responses API gets translated.
 */
export function takesChatPassthrough(provider: { readonly type: string; readonly adapterSettings?: { readonly wireApi?: string } }): boolean {
  return isOpenAICompatibleType(provider.type) && provider.type !== "mistral" && provider.adapterSettings?.wireApi !== "responses";
}

/** `base_url + /chat/completions`, tolerant of a trailing slash; null when there is no URL. */
export function chatCompletionsUrl(type: string, baseUrl: string | null): URL | null {
  const base = baseUrl ?? OPENAI_COMPATIBLE_BASE_URLS[type] ?? null;
  if (!base) return null;
  try {
    return new URL(base.replace(/\/+$/, "") + "/chat/completions");
  } catch {
    return null;
  }
}

/** `base_url + /embeddings` (the chat URL's sibling), defaults included; null when there is no URL. */
export function embeddingsUrl(type: string, baseUrl: string | null): URL | null {
  const chat = chatCompletionsUrl(type, baseUrl);
  return chat ? new URL(chat.href.replace(/\/chat\/completions$/, "/embeddings")) : null;
}
