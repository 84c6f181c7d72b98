import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { providerAdapterSettingsFrom } from "../../upstream/provider-adapter-settings";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import { adapterFor } from "../registry";
import type { UpstreamTarget } from "../types";
import { anthropicAdapter, anthropicCompatibleAdapter, anthropicMessagesUrl } from "./anthropic-adapter";
import { fixtureJson, fixtureText } from "./anthropic-fixtures.test-helpers";

function target(provider: Partial<ProviderConfig> = {}): UpstreamTarget {
  const config: ProviderConfig = {
    id: "prov_1", name: "claude", type: "anthropic", baseUrl: null, requestTypes: [], headers: {}, models: [], enabled: true, keys: [],
    timeouts: DEFAULT_PROVIDER_TIMEOUTS, ...provider,
  };
  return { provider: config, key: { id: "k1", name: "main", secret: "sk-ant-secret", weight: 1, models: [] }, model: "claude-sonnet-4-5", now: new Date(0) };
}

const REQUEST: CanonicalRequest = { model: "my-alias", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], maxTokens: 64, stream: true, extensions: {} };

describe("anthropic adapter: the HTTP envelope", () => {
  it("posts to api.anthropic.com/v1/messages with x-api-key and the default version", () => {
    const built = anthropicAdapter.buildRequest(REQUEST, target(), createTransformLog());
    expect(built.url.href).toBe("https://api.anthropic.com/v1/messages");
    expect(built.method).toBe("POST");
    expect(built.headers).toEqual({ "content-type": "application/json", accept: "text/event-stream", "x-api-key": "sk-ant-secret", "anthropic-version": "2023-06-01" });
    expect(JSON.parse(built.body!)).toEqual({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
  });

  it("uses the configured base URL, api version and extra headers, which cannot replace the auth", () => {
    const built = anthropicAdapter.buildRequest(
      REQUEST,
      target({ baseUrl: "https://proxy.example/anthropic/", headers: { "anthropic-beta": "context-1m-2025-08-07", "X-Api-Key": "not-this-one" }, adapterSettings: providerAdapterSettingsFrom({ api_version: "2024-10-22" }) }),
      createTransformLog(),
    );
    expect(built.url.href).toBe("https://proxy.example/anthropic/v1/messages");
    expect(built.headers).toMatchObject({ "anthropic-beta": "context-1m-2025-08-07", "x-api-key": "sk-ant-secret", "anthropic-version": "2024-10-22" });
    expect(built.headers).not.toHaveProperty("X-Api-Key");
  });

  it("does not double /v1 on a base URL that has it", () => {
    expect(anthropicMessagesUrl("https://api.minimax.io/anthropic/v1").href).toBe("https://api.minimax.io/anthropic/v1/messages");
    expect(anthropicMessagesUrl("http://127.0.0.1:9003").href).toBe("http://127.0.0.1:9003/v1/messages");
  });

  it("anthropic-compatible needs its base URL (no public default)", () => {
    expect(anthropicCompatibleAdapter.buildRequest(REQUEST, target({ type: "anthropic-compatible" }), createTransformLog()).url.hostname).toBe("base-url-not-configured.invalid");
    expect(anthropicCompatibleAdapter.buildRequest(REQUEST, target({ baseUrl: "https://llm.internal" }), createTransformLog()).url.href).toBe("https://llm.internal/v1/messages");
  });

  it("is registered for both provider types, speaking anthropic_messages", () => {
    expect(adapterFor({ type: "anthropic" })).toBe(anthropicAdapter);
    expect(adapterFor({ type: "anthropic-compatible" })).toBe(anthropicCompatibleAdapter);
    expect(anthropicAdapter.wireApi).toBe("anthropic_messages");
  });

  it("names the adapter in errors it parses", () => {
    expect(anthropicCompatibleAdapter.parseError(529, fixtureText("error-overloaded.json"), null)).toMatchObject({ provider: "anthropic-compatible", status: 529 });
  });
});

describe("anthropic adapter: passthrough", () => {
  it("forwards the client's body with only the model replaced", () => {
    const body = { model: "claude-latest", max_tokens: 10, messages: [{ role: "user", content: "x" }], context_management: { edits: [] }, stream: false };
    const built = anthropicAdapter.buildPassthroughRequest(body, target(), false);
    expect(JSON.parse(built.body!)).toEqual({ ...body, model: "claude-sonnet-4-5" });
    expect(built.headers).toMatchObject({ accept: "application/json", "x-api-key": "sk-ant-secret" });
    expect(body.model).toBe("claude-latest");
  });

  it("reads usage from a JSON body and from a relayed stream", () => {
    expect(anthropicAdapter.usageFromJson(fixtureJson("response-text.json"))).toEqual({ input: 6156, output: 9, cacheRead: 4096, cacheWrite: 2048, reasoning: 0 });
    expect(anthropicAdapter.usageFromJson({})).toBeNull();
    const watcher = anthropicAdapter.createUsageWatcher();
    watcher.push(new TextEncoder().encode(fixtureText("stream-thinking.sse")));
    expect(watcher.finish()).toEqual({ input: 40, output: 312, cacheRead: 0, cacheWrite: 0, reasoning: 280 });
  });
});
