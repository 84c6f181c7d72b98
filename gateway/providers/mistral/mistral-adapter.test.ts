// The Mistral dialect over recorded wire samples (__fixtures__/): reasoning models answer with
// `thinking` content parts, and a rejected field comes back as a pydantic `detail` list. And the
// request rules the strict API enforces, on a body as Claude Code's translation produces it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTransformLog, type CanonicalRequest } from "../../formats/canonical";
import thinking from "./__fixtures__/chat-response-thinking.json";
import { MISTRAL_CHAT_FIELDS, mistralAdapter } from "./mistral-adapter";

const target = {
  provider: { id: "p", name: "mistral", type: "mistral", baseUrl: "https://api.mistral.ai/v1", requestTypes: [], headers: {}, models: [], enabled: true, keys: [], timeouts: { connectMs: 1, firstByteMs: 1, streamIdleMs: 1 } },
  key: { id: "k", name: "k", secret: "sk-m", weight: 1, models: [] },
  model: "devstral-2512",
  now: new Date(0),
};

describe("Mistral adapter over recorded fixtures", () => {
  it("reads thinking parts before the text", () => {
    const response = mistralAdapter.parseResponse(thinking);
    expect(response.content).toEqual([
      { type: "thinking", thinking: "The user greets me; answer briefly." },
      { type: "text", text: "Bonjour !" },
    ]);
    expect(response.usage).toMatchObject({ input: 9, output: 14 });
  });

  it("keeps the pydantic detail of a 422 in the error message", () => {
    const error = mistralAdapter.parseError(422, readFileSync(new URL("./__fixtures__/error-extra-forbidden.json", import.meta.url), "utf8"), null);
    expect(error).toMatchObject({ status: 422, source: "upstream", retryable: false });
    expect(error.message).toContain("extra_forbidden");
  });

  it("builds only fields Mistral accepts, 9-alphanumeric tool ids, effort none|high, each change recorded", () => {
    const request: CanonicalRequest = {
      model: "claude-sonnet-4-5",
      system: [{ type: "text", text: "be brief", cacheControl: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "weather?" }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "sig" }, { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", input: { city: "Paris" } }] },
        { role: "user", content: [{ type: "tool_result", toolUseId: "toolu_01A09q90qw90lq917835lq9", content: [{ type: "text", text: "sunny" }] }] },
      ],
      tools: [{ name: "get_weather", parameters: { type: "object" } }],
      maxTokens: 512,
      stream: true,
      reasoning: { mode: "enabled", budgetTokens: 1024, effort: "medium" },
      extensions: { anthropic_messages: { context_management: { edits: [] } } },
    };
    const transforms = createTransformLog();
    const body = JSON.parse(mistralAdapter.buildRequest(request, target, transforms).body!) as Record<string, unknown>;
    for (const field of Object.keys(body)) expect(MISTRAL_CHAT_FIELDS.has(field)).toBe(true);
    expect(body.reasoning_effort).toBe("high");
    const messages = body.messages as Array<Record<string, unknown>>;
    const id = (messages[2]!.tool_calls as Array<{ id: string }>)[0]!.id;
    expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(messages[3]).toMatchObject({ role: "tool", tool_call_id: id });
    const params = transforms.changes.map((c) => c.param);
    expect(params).toEqual(expect.arrayContaining(["max_tokens", "stream_options", "tool_call_id", "cache_control", "context_management"]));
  });
});
