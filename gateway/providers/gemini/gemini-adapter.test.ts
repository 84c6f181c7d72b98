import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import { adapterFor } from "../registry";
import type { UpstreamTarget } from "../types";
import { geminiAdapter } from "./gemini-adapter";

function target(baseUrl: string | null, model = "gemini-2.5-flash"): UpstreamTarget {
  const provider: ProviderConfig = {
    id: "prov_g", name: "google", type: "gemini", baseUrl, requestTypes: [], headers: { "x-goog-api-key": "configured-header-loses", "x-trace": "t1" },
    models: [], enabled: true, keys: [], timeouts: DEFAULT_PROVIDER_TIMEOUTS,
  };
  return { provider, key: { id: "k1", name: "main", secret: "AIza-test-key", weight: 1, models: [] }, model, now: new Date(0) };
}

const REQUEST: CanonicalRequest = { model: "client", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {} };

describe("geminiAdapter", () => {
  it("is registered as the gemini provider type and speaks the gemini wire format", () => {
    expect(adapterFor({ type: "gemini" })).toBe(geminiAdapter);
    expect(geminiAdapter.wireApi).toBe("gemini");
  });

  it("posts generateContent to the default host with the key in x-goog-api-key", () => {
    const built = geminiAdapter.buildRequest(REQUEST, target(null), createTransformLog());
    expect(built.url.href).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(built.headers).toEqual({ "x-goog-api-key": "AIza-test-key", "x-trace": "t1", "content-type": "application/json" });
    expect(JSON.parse(built.body!)).toEqual({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
  });

  it("streams with alt=sse, keeps a configured version, and addresses tuned models", () => {
    const stream = geminiAdapter.buildRequest({ ...REQUEST, stream: true }, target("http://127.0.0.1:9003/"), createTransformLog());
    expect(stream.url.href).toBe("http://127.0.0.1:9003/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(geminiAdapter.buildRequest(REQUEST, target("https://proxy.example/google/v1"), createTransformLog()).url.href).toBe("https://proxy.example/google/v1/models/gemini-2.5-flash:generateContent");
    expect(geminiAdapter.buildRequest(REQUEST, target(null, "tunedModels/my-model-7"), createTransformLog()).url.pathname).toBe("/v1beta/tunedModels/my-model-7:generateContent");
  });

  it("passes a Gemini client's body through, with routing's model in the URL only", () => {
    const built = geminiAdapter.buildPassthroughRequest({ model: "client-choice", contents: [{ parts: [{ text: "x" }] }], safetySettings: [] }, target(null, "gemini-2.5-pro"), true);
    expect(built.url.href).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    expect(JSON.parse(built.body!)).toEqual({ contents: [{ parts: [{ text: "x" }] }], safetySettings: [] });
    expect(geminiAdapter.usageFromJson({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, thoughtsTokenCount: 4 } })).toEqual({ input: 3, output: 6, cacheRead: 0, cacheWrite: 0, reasoning: 4 });
    expect(geminiAdapter.usageFromJson([{ usageMetadata: { promptTokenCount: 1 } }, { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }])).toMatchObject({ input: 3, output: 2 });
  });
});
