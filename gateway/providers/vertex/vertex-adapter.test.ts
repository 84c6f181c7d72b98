import { describe, expect, it } from "vitest";
import type { ProviderConfig } from "../../config/snapshot";
import { GatewayError } from "../../errors";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import { readFileSync } from "node:fs";
import type { ProviderAdapterSettings } from "../../upstream/provider-adapter-settings";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../../upstream/provider-timeouts";
import { adapterFor } from "../registry";
import type { UpstreamTarget } from "../types";
import { vertexAdapter } from "./vertex-adapter";

function target(adapterSettings: ProviderAdapterSettings | undefined, baseUrl: string | null = null): UpstreamTarget {
  const provider: ProviderConfig = {
    id: "prov_v", name: "vertex-eu", type: "vertex", baseUrl, requestTypes: [], headers: {}, models: [], enabled: true, keys: [], timeouts: DEFAULT_PROVIDER_TIMEOUTS,
    ...(adapterSettings ? { adapterSettings } : {}),
  };
  return { provider, key: { id: "k1", name: "token", secret: "ya29.access-token", weight: 1, models: [] }, model: "gemini-2.5-pro", now: new Date(0) };
}

const REQUEST: CanonicalRequest = { model: "client", system: [], messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [], stream: false, extensions: {} };
const build = (t: UpstreamTarget, stream = false) => vertexAdapter.buildRequest({ ...REQUEST, stream }, t, createTransformLog());

describe("vertexAdapter", () => {
  it("is registered as the vertex provider type", () => {
    expect(adapterFor({ type: "vertex" })).toBe(vertexAdapter);
    expect(vertexAdapter.wireApi).toBe("gemini");
  });

  it("addresses the project and location, with an OAuth Bearer token", () => {
    const built = build(target({ projectId: "acme-prod", location: "europe-west4" }));
    expect(built.url.href).toBe("https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent");
    expect(built.headers).toMatchObject({ authorization: "Bearer ya29.access-token", "content-type": "application/json" });
    expect(built.headers).not.toHaveProperty("x-goog-api-key");
  });

  it("takes the location from the region, then us-central1; global has no regional host", () => {
    expect(build(target({ projectId: "p", region: "asia-northeast1" })).url.host).toBe("asia-northeast1-aiplatform.googleapis.com");
    expect(build(target({ projectId: "p" }), true).url.href).toBe("https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    expect(build(target({ projectId: "p", location: "global" })).url.href).toBe("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent");
  });

  it("lets base_url replace the host", () => {
    expect(build(target({ projectId: "p", location: "us-east5" }, "http://127.0.0.1:9003/")).url.href).toBe("http://127.0.0.1:9003/v1/projects/p/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent");
    expect(build(target({ projectId: "p" }, "https://psc.example/v1beta1")).url.pathname).toBe("/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent");
  });

  it("refuses a provider without a project id with a 400 naming it", () => {
    let error: unknown;
    try {
      build(target({ location: "us-central1" }));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, source: "gateway", provider: "vertex-eu", retryable: false });
    expect((error as GatewayError).message).toContain("'vertex-eu'");
    expect((error as GatewayError).message).toContain("project_id");
  });

  it("reads Vertex errors with the Gemini mapping", () => {
    const body = readFileSync(new URL("../gemini/__fixtures__/error-resource-exhausted.json", import.meta.url), "utf8");
    expect(vertexAdapter.parseError(429, body, null)).toMatchObject({ status: 429, provider: "vertex", retryable: true });
  });
});

describe("vertexAdapter credentials", () => {
  it("refuses service-account JSON as a key, naming the provider, instead of sending it as a token", () => {
    const t = target({ projectId: "p" });
    const withJson: UpstreamTarget = { ...t, key: { ...t.key, secret: '{"type":"service_account","project_id":"p"}' } };
    expect(() => build(withJson)).toThrow(/'vertex-eu'.*service-account JSON/);
  });
});
