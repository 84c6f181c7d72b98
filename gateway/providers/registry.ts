// Provider type → adapter for translated requests (PRODUCT §3.1). One folder per provider
// (DESIGN "Formats and providers"); the OpenAI-compatible ones share one factory with their
// default base URL. A type without an entry cannot serve translated client APIs and gets a
// clear 400 naming the provider and request type.
import { anthropicAdapter, anthropicCompatibleAdapter } from "./anthropic/anthropic-adapter";
import { azureOpenAIAdapter } from "./azure-openai/azure-openai-adapter";
import { bedrockAdapter } from "./bedrock/adapter";
import { cohereAdapter } from "./cohere/adapter";
import { geminiAdapter } from "./gemini/gemini-adapter";
import { mistralAdapter } from "./mistral/mistral-adapter";
import { createOpenAIChatAdapter } from "./openai/openai-chat-adapter";
import { vertexAdapter } from "./vertex/vertex-adapter";
import { createOpenAIResponsesAdapter } from "./openai-responses/adapter";
import type { ProviderAdapter } from "./types";
import type { ProviderAdapterSettings } from "../upstream/provider-adapter-settings";
import { OPENAI_COMPATIBLE_BASE_URLS } from "../upstream/openai-compatible-providers";

// Mistral speaks chat too but has its own normalizing adapter (below).
const OPENAI_CHAT_TYPES = Object.entries(OPENAI_COMPATIBLE_BASE_URLS).filter(([id]) => id !== "mistral");

const ADAPTERS: Readonly<Record<string, ProviderAdapter>> = {
  ...Object.fromEntries(OPENAI_CHAT_TYPES.map(([id, defaultBaseUrl]) => [id, createOpenAIChatAdapter({ id, defaultBaseUrl })])),
  mistral: mistralAdapter,
  gemini: geminiAdapter,
  vertex: vertexAdapter,
  bedrock: bedrockAdapter,
  cohere: cohereAdapter,
  "azure-openai": azureOpenAIAdapter,
  anthropic: anthropicAdapter,
  "anthropic-compatible": anthropicCompatibleAdapter,
};

// OpenAI-compatible types whose provider sets `settings.wire_api: responses` speak the
// Responses API upstream instead of Chat Completions (same base URL and key).
const RESPONSES_ADAPTERS: Readonly<Record<string, ProviderAdapter>> = Object.fromEntries(
  OPENAI_CHAT_TYPES.map(([id, defaultBaseUrl]) => [id, createOpenAIResponsesAdapter({ id, defaultBaseUrl })]),
);

export interface AdapterSelector {
  readonly type: string;
  readonly adapterSettings?: ProviderAdapterSettings;
}

export function adapterFor(provider: AdapterSelector): ProviderAdapter | null {
  if (provider.adapterSettings?.wireApi === "responses") return RESPONSES_ADAPTERS[provider.type] ?? null;
  return ADAPTERS[provider.type] ?? null;
}
