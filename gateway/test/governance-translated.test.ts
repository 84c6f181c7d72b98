// Governance on the translated surfaces (PRODUCT §5, issue 3): the reservation is estimated
// from the decoded request, whatever the client API calls its fields — Responses'
// `input` / `max_output_tokens`, Gemini's `contents` / `generationConfig.maxOutputTokens`,
// Anthropic's `max_tokens` — so a request whose output bound alone exceeds a token budget is
// refused before it reaches the provider, in the client's own error shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertBudget } from "./support/governance-seed";

const MODEL = `${PROVIDER_NAME}/${CATALOG_MODEL}`;
let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness({
    seed: async (db, _upstream, { virtualKeyId }) => {
      await insertBudget(db, { entityType: "virtual_key", entityId: virtualKeyId, window: "1d", tokens: 1_000 });
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const upstreamCalls = () => h.upstream.requests.filter((r) => r.path.endsWith("/chat/completions")).length;

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${h.gatewayUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("token budgets hold on every client API", () => {
  it("serves a request within the budget", async () => {
    const ok = await post("/v1/responses", { authorization: `Bearer ${h.virtualKey}` }, { model: MODEL, input: "small", max_output_tokens: 50 });
    expect(ok.status).toBe(200);
  });

  it.each([
    ["Responses", "/v1/responses", { model: MODEL, input: "big answer please", max_output_tokens: 5_000 }, (b: Record<string, unknown>) => (b.error as { type: string }).type],
    ["Anthropic", "/anthropic/v1/messages", { model: MODEL, max_tokens: 5_000, messages: [{ role: "user", content: "big answer please" }] }, (b: Record<string, unknown>) => b.type],
    ["Gemini", `/genai/v1beta/models/${MODEL}:generateContent`, { contents: [{ role: "user", parts: [{ text: "big answer please" }] }], generationConfig: { maxOutputTokens: 5_000 } }, (b: Record<string, unknown>) => (b.error as { status: string }).status],
  ])("%s: an output bound above the budget is refused with 402 before any upstream call", async (_api, path, body, shapeOf) => {
    const before = upstreamCalls();
    const refused = await post(path as string, { authorization: `Bearer ${h.virtualKey}`, "x-goog-api-key": h.virtualKey }, body);
    expect(refused.status).toBe(402);
    expect(shapeOf(refused.body)).toBeTruthy();
    expect(JSON.stringify(refused.body)).toContain("budget");
    expect(upstreamCalls()).toBe(before);
  });
});
