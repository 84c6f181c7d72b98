// Adapter ids a provider's `type` may name (PRODUCT §3). The two `*-compatible` ids cover any
// server speaking the OpenAI or Anthropic wire format (vLLM, LM Studio, proxies, mocks).
export const PROVIDER_TYPES = [
  "openai",
  "azure-openai",
  "anthropic",
  "gemini",
  "vertex",
  "bedrock",
  "mistral",
  "groq",
  "deepseek",
  "xai",
  "together",
  "openrouter",
  "cohere",
  "ollama",
  "vllm",
  "openai-compatible",
  "anthropic-compatible",
] as const;

export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Request kinds a provider can be restricted to (`request_types`; empty = all). */
export const REQUEST_TYPES = [
  "chat",
  "chat_stream",
  "responses",
  "responses_stream",
  "embeddings",
  "messages",
  "messages_stream",
  "count_tokens",
  "models",
] as const;

export type RequestType = (typeof REQUEST_TYPES)[number];

export function isProviderType(value: string): value is ProviderType {
  return (PROVIDER_TYPES as readonly string[]).includes(value);
}
