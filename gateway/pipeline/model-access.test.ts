// Model resolution, allow-list authorization and key authentication against a snapshot.
import { describe, expect, it } from "vitest";
import { hashVirtualKey } from "../../lib/crypto/virtual-key";
import { buildSnapshot, type ProviderConfig, type SnapshotContents } from "../config/snapshot";
import { DEFAULT_PROVIDER_TIMEOUTS } from "../upstream/provider-timeouts";
import { GatewayError } from "../errors";
import { authenticate, extractApiKey } from "./authenticate";
import { authorizeModel } from "./authorize-model";
import { createRoutingHealth } from "../routing/routing-health";
import { planRoute } from "./route-request";

function provider(name: string, models: string[], extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { id: name, name, type: "openai", baseUrl: "http://x/v1", requestTypes: [], headers: {}, models, enabled: true, keys: [{ id: `${name}-k`, name: "k", secret: "s", weight: 1, models: [] }], timeouts: DEFAULT_PROVIDER_TIMEOUTS, ...extra };
}

const now = new Date("2025-06-01T12:00:00Z");
const vkBase = { teamId: null, userId: null, customerId: null, allowedModels: ["*"], allowedProviders: ["*"], expiresAt: null, active: true, revokedAt: null, tags: [], previousKeyHash: null, previousKeyExpiresAt: null };

const contents: SnapshotContents = {
  providers: [
    provider("openai", ["gpt-4o", "shared"]),
    provider("mistral", ["devstral", "shared"]),
    provider("off", ["only-off"], { enabled: false }),
    provider("chat-only", ["co-model"], { requestTypes: ["chat"] }),
  ],
  virtualKeys: [
    { ...vkBase, id: "k1", name: "all", keyHash: hashVirtualKey("sk-all"), teamId: "t1" },
    { ...vkBase, id: "k2", name: "revoked", keyHash: hashVirtualKey("sk-revoked"), revokedAt: new Date("2025-01-01") },
    { ...vkBase, id: "k3", name: "expired", keyHash: hashVirtualKey("sk-expired"), expiresAt: new Date("2025-06-01T11:00:00Z") },
    { ...vkBase, id: "k4", name: "rotated", keyHash: hashVirtualKey("sk-new"), previousKeyHash: hashVirtualKey("sk-old"), previousKeyExpiresAt: new Date("2025-06-01T13:00:00Z") },
    { ...vkBase, id: "k5", name: "rotated-past", keyHash: hashVirtualKey("sk-new2"), previousKeyHash: hashVirtualKey("sk-old2"), previousKeyExpiresAt: new Date("2025-06-01T11:00:00Z") },
    { ...vkBase, id: "k6", name: "inactive", keyHash: hashVirtualKey("sk-inactive"), active: false },
  ],
  teams: [{ id: "t1", name: "platform", customerId: "c1" }],
  customers: [{ id: "c1", name: "acme" }],
  pricing: [],
  routingRules: [],
};
const snapshot = buildSnapshot(contents, 1, now);

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return `${error.status} ${error.code}`;
    throw error;
  }
  return null;
}

const health = createRoutingHealth().view();
/** The first target of the planned chain (default resolution: no routing rules here). */
function resolveModel(model: string, snap: typeof snapshot, requestType: string): { provider: ProviderConfig; model: string } {
  const auth = authenticate({ authorization: "Bearer sk-all" }, snap);
  const first = planRoute({ body: { model, messages: [] }, model, stream: false, estimate: { promptBytes: 0, maxOutputTokens: null } }, requestType, {}, auth, snap, health, () => 0).attempts[0];
  if (!first) throw new Error("empty plan");
  return first;
}

describe("planRoute without rules", () => {
  it("selects a provider explicitly with provider/model", () => {
    const target = resolveModel("mistral/anything-new", snapshot, "chat");
    expect([target.provider.name, target.model]).toEqual(["mistral", "anything-new"]);
  });

  it("resolves a bare model listed by one enabled provider", () => {
    const target = resolveModel("devstral", snapshot, "chat");
    expect([target.provider.name, target.model]).toEqual(["mistral", "devstral"]);
  });

  it("spreads a bare model listed by several providers over them (catalog)", () => {
    expect(["openai", "mistral"]).toContain(resolveModel("shared", snapshot, "chat").provider.name);
  });

  it("keeps slashes of model ids whose prefix is not a provider", () => {
    expect(codeOf(() => resolveModel("meta-llama/llama-3", snapshot, "chat"))).toBe("404 model_not_found");
  });

  it.each([
    ["unknown-model", "404 model_not_found"],
    ["only-off", "404 model_not_found"],
    ["off/only-off", "404 model_not_found"],
  ])("refuses %s", (model, expected) => {
    expect(codeOf(() => resolveModel(model, snapshot, "chat"))).toBe(expected);
  });

  it("respects a provider's request types", () => {
    expect(resolveModel("co-model", snapshot, "chat").provider.name).toBe("chat-only");
    expect(codeOf(() => resolveModel("chat-only/co-model", snapshot, "chat_stream"))).toBe("400 unsupported_request_type");
  });
});

describe("authorizeModel", () => {
  const target = resolveModel("openai/gpt-4o", snapshot, "chat");
  const auth = (allowedModels: string[], allowedProviders: string[] = ["*"]) => ({
    key: { ...vkBase, id: "k", name: "k", allowedModels, allowedProviders },
    team: null,
    customer: null,
  });

  it.each([
    [["*"], ["*"], null],
    [["gpt-4o"], ["*"], null],
    [["openai/gpt-4o"], ["*"], null],
    [["openai/*"], ["openai"], null],
    [["gpt-*"], ["open*"], null],
    [[], ["*"], "403 model_not_allowed"],
    [["*"], [], "403 model_not_allowed"],
    [["mistral/*"], ["*"], "403 model_not_allowed"],
    [["*"], ["mistral"], "403 model_not_allowed"],
  ])("models %j providers %j → %s", (models, providers, expected) => {
    expect(codeOf(() => authorizeModel(auth(models, providers), target))).toBe(expected);
  });
});

describe("authenticate", () => {
  const headers = (key: string) => ({ authorization: `Bearer ${key}` });

  it("finds the key, its team and the team's customer", () => {
    const auth = authenticate(headers("sk-all"), snapshot, now);
    expect([auth.key.name, auth.team?.name, auth.customer?.name]).toEqual(["all", "platform", "acme"]);
  });

  it.each(["sk-unknown", "sk-revoked", "sk-expired", "sk-inactive", "sk-old2"])("rejects %s with 401", (key) => {
    expect(codeOf(() => authenticate(headers(key), snapshot, now))).toBe("401 invalid_api_key");
  });

  it("accepts a rotated key's previous secret during its grace period only", () => {
    expect(authenticate(headers("sk-old"), snapshot, now).key.name).toBe("rotated");
    expect(codeOf(() => authenticate(headers("sk-old"), snapshot, new Date("2025-06-01T14:00:00Z")))).toBe("401 invalid_api_key");
  });

  it("reports a missing key separately", () => {
    expect(codeOf(() => authenticate({}, snapshot, now))).toBe("401 missing_api_key");
  });

  it("reads Authorization: Bearer, x-api-key and api-key", () => {
    expect(extractApiKey({ authorization: "bearer  abc " })).toBe("abc");
    expect(extractApiKey({ "x-api-key": "def" })).toBe("def");
    expect(extractApiKey({ "api-key": "ghi" })).toBe("ghi");
    expect(extractApiKey({ authorization: "Basic xyz" })).toBeNull();
  });
});
