// Embeddings for the semantic layer, from a provider of the config snapshot through its
// OpenAI-compatible `/embeddings` endpoint (same keep-alive dispatchers and timeouts as chat
// calls). Behind an interface so tests use the deterministic mock (gateway/testing/mock-embeddings.ts).
import type { ConfigSnapshot } from "../config/snapshot";
import type { UpstreamDispatchers } from "../upstream/http-dispatcher";
import { embeddingsUrl } from "../upstream/openai-compatible-providers";

export interface Embedder {
  readonly provider: string;
  readonly model: string;
  embed(text: string, signal: AbortSignal): Promise<Float32Array>;
}

export interface ProviderEmbedderOptions {
  providerName: string;
  model: string;
  snapshot: () => ConfigSnapshot | null;
  dispatchers: UpstreamDispatchers;
}


function readEmbedding(body: unknown): number[] | null {
  if (body === null || typeof body !== "object") return null;
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length === 0) return null;
  const embedding = (data[0] as { embedding?: unknown } | null)?.embedding;
  if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((v) => typeof v === "number" && Number.isFinite(v))) return null;
  return embedding as number[];
}

export function createProviderEmbedder(options: ProviderEmbedderOptions): Embedder {
  return {
    provider: options.providerName,
    model: options.model,
    async embed(text, signal) {
      const provider = options.snapshot()?.providersByName.get(options.providerName);
      if (!provider || !provider.enabled) throw new Error(`embedding provider '${options.providerName}' is not configured or disabled`);
      const key = provider.keys[0];
      if (!key) throw new Error(`embedding provider '${options.providerName}' has no usable key`);
      const url = embeddingsUrl(provider.type, provider.baseUrl);
      if (!url) throw new Error(`embedding provider '${options.providerName}' has no valid base_url`);
      const response = await options.dispatchers.forConnectTimeout(provider.timeouts.connectMs).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: "POST",
        headers: { authorization: `Bearer ${key.secret}`, ...provider.headers, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ model: options.model, input: text }),
        signal,
        headersTimeout: provider.timeouts.firstByteMs,
        bodyTimeout: provider.timeouts.streamIdleMs,
      });
      const raw = await response.body.text();
      if (response.statusCode >= 400) throw new Error(`embedding provider '${options.providerName}' answered ${response.statusCode}: ${raw.slice(0, 200)}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new Error(`embedding provider '${options.providerName}' answered with a body that is not JSON`);
      }
      const embedding = readEmbedding(parsed);
      if (!embedding) throw new Error(`embedding provider '${options.providerName}' answered without data[0].embedding`);
      return Float32Array.from(embedding);
    },
  };
}
