import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { GatewayError } from "../../errors";
import { createTransformLog, type CanonicalRequest, type CanonicalStreamEvent } from "../../formats/canonical";
import type { ProviderAdapterSettings } from "../../upstream/provider-adapter-settings";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import { adapterFor } from "../registry";
import type { UpstreamTarget } from "../types";
import { azureOpenAIAdapter } from "./azure-openai-adapter";
import { AZURE_OPENAI_DEFAULT_API_VERSION } from "./azure-openai-endpoint";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

function target(baseUrl: string | null, adapterSettings?: ProviderAdapterSettings, model = "gpt-4o"): UpstreamTarget {
  const provider: ProviderConfig = {
    id: "prov_1",
    name: "azure-eu",
    type: "azure-openai",
    baseUrl,
    requestTypes: [],
    headers: { "x-ms-client-request-id": "trace-1" },
    models: [],
    enabled: true,
    keys: [],
    timeouts: DEFAULT_PROVIDER_TIMEOUTS,
    ...(adapterSettings ? { adapterSettings } : {}),
  };
  return { provider, key: { id: "k1", name: "key", secret: "azure-secret", weight: 1, models: [] }, model, now: new Date(0) };
}

const REQUEST: CanonicalRequest = {
  model: "client-model",
  system: [],
  messages: [{ role: "user", content: [{ type: "text", text: "Bonjour" }] }],
  tools: [],
  maxTokens: 50,
  stream: false,
  extensions: {},
};

const build = (t: UpstreamTarget, request: CanonicalRequest = REQUEST) => azureOpenAIAdapter.buildRequest(request, t, createTransformLog());

describe("azure openai: where requests go", () => {
  it("puts the deployment in the path with the default GA api-version on the dated surface", () => {
    const built = build(target("https://contoso.openai.azure.com"));
    expect(built.url.href).toBe(`https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=${AZURE_OPENAI_DEFAULT_API_VERSION}`);
    expect(AZURE_OPENAI_DEFAULT_API_VERSION).toBe("2024-10-21");
    expect(built.method).toBe("POST");
    expect(JSON.parse(built.body!)).toMatchObject({ model: "gpt-4o", messages: [{ role: "user", content: "Bonjour" }], max_completion_tokens: 50 });
  });

  it("maps the model through the deployments setting and uses a configured api-version", () => {
    const t = target("https://contoso.openai.azure.com/", { apiVersion: "2025-04-01-preview", deployments: { "gpt-4o": "prod 4o" } });
    const built = build(t);
    expect(built.url.href).toBe("https://contoso.openai.azure.com/openai/deployments/prod%204o/chat/completions?api-version=2025-04-01-preview");
    expect(JSON.parse(built.body!).model).toBe("prod 4o");
    // A model missing from the map is its own deployment.
    expect(build(target("https://contoso.openai.azure.com", { deployments: { other: "x" } }, "gpt-4.1")).url.pathname).toBe("/openai/deployments/gpt-4.1/chat/completions");
  });

  it("does not double the /openai segment of a pasted resource URL", () => {
    expect(build(target("https://contoso.openai.azure.com/openai/")).url.pathname).toBe("/openai/deployments/gpt-4o/chat/completions");
  });

  it("uses OpenAI's path with the deployment as model on the v1 surface, with no api-version unless configured", () => {
    const t = target("https://contoso.openai.azure.com/openai/v1", { deployments: { "gpt-4o": "prod-4o" } });
    const built = build(t);
    expect(built.url.href).toBe("https://contoso.openai.azure.com/openai/v1/chat/completions");
    expect(JSON.parse(built.body!).model).toBe("prod-4o");
    expect(build(target("https://contoso.openai.azure.com/openai/v1/", { apiVersion: "preview" })).url.href).toBe("https://contoso.openai.azure.com/openai/v1/chat/completions?api-version=preview");
  });

  it("authenticates with api-key, not a bearer token, and keeps the provider's headers", () => {
    const { headers } = build(target("https://contoso.openai.azure.com"));
    expect(headers).toEqual({ "x-ms-client-request-id": "trace-1", "content-type": "application/json", "api-key": "azure-secret" });
  });

  it("refuses to guess a URL: no base_url is a 400 naming the provider", () => {
    for (const base of [null, "", "   "]) {
      let error: unknown;
      try {
        build(target(base));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ status: 503, code: "provider_base_url_missing", provider: "azure-eu", source: "gateway", retryable: true });
      expect((error as GatewayError).message).toContain("'azure-eu'");
    }
    expect(() => build(target("not a url"))).toThrow(/invalid base_url/);
  });

  it("is the registry's adapter for the azure-openai type", () => {
    expect(adapterFor({ type: "azure-openai" })).toBe(azureOpenAIAdapter);
    expect(azureOpenAIAdapter.wireApi).toBe("openai_chat");
  });
});

describe("azure openai: answers", () => {
  it("reads a chat completion with Azure's content-filter fields", () => {
    const response = azureOpenAIAdapter.parseResponse(JSON.parse(fixture("chat-response-tool-call.json")));
    expect(response).toEqual({
      id: "chatcmpl-BjKq2sXo8EwVv1f0n5t8uZ3aQpL9r",
      model: "gpt-4o-2024-11-20",
      content: [{ type: "tool_use", id: "call_Q8mUu5ZQbl3Y1V3Cb2Rf0Hx2", name: "get_weather", input: { city: "Paris" } }],
      stopReason: "tool_use",
      usage: { input: 85, output: 17, cacheRead: 64, cacheWrite: 0, reasoning: 0 },
      created: 1_750_000_000,
    });
  });

  it("skips the content-filter chunks of a stream, so the message starts with the real id", () => {
    const decoder = azureOpenAIAdapter.createStreamDecoder();
    const bytes = new TextEncoder().encode(fixture("chat-stream-content-filter.sse"));
    // Split mid-event: SSE framing must not depend on chunk boundaries.
    const events: CanonicalStreamEvent[] = [...decoder.push(bytes.slice(0, 700)), ...decoder.push(bytes.slice(700)), ...decoder.end()];
    expect(events).toEqual([
      { type: "message_start", id: "chatcmpl-BjKr7Yb1cQ2dE3fG4hI5jK6lM7nO8", model: "gpt-4o-2024-11-20", created: 1_750_000_001 },
      { type: "block_start", index: 0, block: { type: "text" } },
      { type: "text_delta", index: 0, text: "Bonjour" },
      { type: "text_delta", index: 0, text: " !" },
      { type: "usage", usage: { input: 12, output: 3, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
      { type: "block_stop", index: 0 },
      { type: "message_stop", stopReason: "end_turn" },
    ]);
  });
});

describe("azure openai: errors (OpenAI's shape, Azure's codes)", () => {
  it.each([
    ["error-401-invalid-key.json", 401, { type: "authentication_error", code: "401", retryable: false }],
    ["error-404-deployment-not-found.json", 404, { type: "invalid_request_error", code: "DeploymentNotFound", retryable: false }],
    ["error-429-rate-limit.json", 429, { type: "rate_limit_error", code: "429", retryable: true, retryAfterSeconds: 6 }],
    ["error-400-content-filter.json", 400, { type: "invalid_request_error", code: "content_filter", retryable: false }],
  ])("%s", (file, status, expected) => {
    const body = fixture(file);
    const error = azureOpenAIAdapter.parseError(status, body, status === 429 ? 6 : null);
    const message = (JSON.parse(body) as { error: { message: string } }).error.message;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status, source: "upstream", provider: "azure-openai", message: `azure-openai: ${message}`, ...expected });
  });

  it("keeps a non-JSON error body (a gateway in front of Azure) as the message", () => {
    expect(azureOpenAIAdapter.parseError(502, "Bad Gateway", null)).toMatchObject({ status: 502, type: "server_error", message: "azure-openai: Bad Gateway", retryable: true });
  });
});

describe("azure openai: passthrough for chat clients", () => {
  it("forwards the client's body as sent with the deployment as model", () => {
    const body = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], logprobs: true, stream: true, stream_options: { include_usage: true } };
    const built = azureOpenAIAdapter.buildPassthroughRequest(body, target("https://contoso.openai.azure.com", { deployments: { "gpt-4o": "prod-4o" } }), true);
    expect(built.url.href).toBe(`https://contoso.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=${AZURE_OPENAI_DEFAULT_API_VERSION}`);
    expect(built.headers["api-key"]).toBe("azure-secret");
    expect(built.headers.authorization).toBeUndefined();
    expect(JSON.parse(built.body!)).toEqual({ ...body, model: "prod-4o" });
    expect(azureOpenAIAdapter.usageFromJson(JSON.parse(fixture("chat-response-tool-call.json")))).toEqual({ input: 85, output: 17, cacheRead: 64, cacheWrite: 0, reasoning: 0 });
  });

  it("reads usage from a relayed stream", () => {
    const watcher = azureOpenAIAdapter.createUsageWatcher();
    watcher.push(new TextEncoder().encode(fixture("chat-stream-content-filter.sse")));
    expect(watcher.finish()).toEqual({ input: 12, output: 3, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    expect(watcher.outputChars).toBe("Bonjour !".length);
  });
});
