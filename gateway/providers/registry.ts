// Provider type → adapter for translated requests (PRODUCT §3.1). One folder per provider
// (DESIGN "Formats and providers"); the OpenAI-compatible ones share one factory with their
// default base URL. A type without an entry cannot serve translated client APIs and gets a
// clear 400 naming the provider and request type.
import { mistralAdapter } from "./mistral/mistral-adapter";
import { createOpenAIChatAdapter } from "./openai/openai-chat-adapter";
import type { ProviderAdapter } from "./types";

const OPENAI_COMPATIBLE_DEFAULTS: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  groq: "https://api.groq.com/openai/v1",
  deepseek: "https://api.deepseek.com/v1",
  xai: "https://api.x.ai/v1",
  together: "https://api.together.xyz/v1",
  openrouter: "https://openrouter.ai/api/v1",
  ollama: "http://127.0.0.1:11434/v1",
  vllm: "http://127.0.0.1:8000/v1",
  // No public default: a base URL is required in the provider's configuration.
  "openai-compatible": "http://base-url-not-configured.invalid/v1",
};

const ADAPTERS: Readonly<Record<string, ProviderAdapter>> = {
  ...Object.fromEntries(Object.entries(OPENAI_COMPATIBLE_DEFAULTS).map(([id, defaultBaseUrl]) => [id, createOpenAIChatAdapter({ id, defaultBaseUrl })])),
  mistral: mistralAdapter,
};

export function adapterFor(providerType: string): ProviderAdapter | null {
  return ADAPTERS[providerType] ?? null;
}
