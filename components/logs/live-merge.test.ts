// How pushed events merge into the rows of the logs page, and what the drawer reads out of
// a captured request body.
import { describe, expect, it } from "vitest";
import { messagesOf } from "./log-detail-drawer";
import { mergeLiveEvent, type LiveRow } from "./use-live-logs";

function row(id: string, timestamp: string, overrides: Partial<LiveRow> = {}): LiveRow {
  return {
    id, timestamp, status: null, client_api: "openai_chat", request_type: "chat", provider: "p", model: "m", requested_model: "m",
    virtual_key: "k", virtual_key_id: "vk", team: null, customer: null, routing_rule: null, stream: false, latency_ms: 0, ttft_ms: null,
    tokens: { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0, cache: "none", attempts: 1,
    fallback_reason: null, error: null, tags: [], ...overrides,
  };
}

describe("mergeLiveEvent", () => {
  it("inserts newest first, updates progress, and lets the end win", () => {
    let rows = [row("a", "2026-12-07T10:00:00.000Z", { status: 200 })];
    rows = mergeLiveEvent(rows, "start", row("b", "2026-12-07T10:00:01.000Z"));
    expect(rows.map((r) => r.id)).toEqual(["b", "a"]);
    rows = mergeLiveEvent(rows, "progress", row("b", "2026-12-07T10:00:01.000Z", { tokens: { input: 0, output: 7, cache_read: 0, cache_write: 0, reasoning: 0 } }));
    expect(rows[0]).toMatchObject({ id: "b", status: null, tokens: { output: 7 } });
    rows = mergeLiveEvent(rows, "end", row("b", "2026-12-07T10:00:01.000Z", { status: 200, cost_usd: 0.01 }));
    expect(rows[0]).toMatchObject({ id: "b", status: 200, cost_usd: 0.01 });
    // A progress arriving after the end (another replica, reordered) does not undo it.
    rows = mergeLiveEvent(rows, "progress", row("b", "2026-12-07T10:00:01.000Z"));
    expect(rows[0]!.status).toBe(200);
  });

  it("keeps at most 500 rows", () => {
    let rows: LiveRow[] = [];
    for (let i = 0; i < 510; i++) rows = mergeLiveEvent(rows, "end", row(`r${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), { status: 200 }));
    expect(rows).toHaveLength(500);
    expect(rows[0]!.id).toBe("r509");
  });
});

describe("messagesOf", () => {
  it("reads OpenAI and Anthropic messages with tool calls", () => {
    const openai = JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: null, tool_calls: [{ function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] }] });
    expect(messagesOf(openai)).toEqual([
      { role: "user", text: "hi", toolCalls: [] },
      { role: "assistant", text: "", toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }] },
    ]);
    const anthropic = JSON.stringify({ messages: [{ role: "assistant", content: [{ type: "text", text: "Let me look" }, { type: "tool_use", name: "Read", input: { file_path: "a.ts" } }] }] });
    expect(messagesOf(anthropic)).toEqual([{ role: "assistant", text: "Let me look", toolCalls: [{ name: "Read", arguments: '{"file_path":"a.ts"}' }] }]);
    expect(messagesOf("not json")).toEqual([]);
    expect(messagesOf(null)).toEqual([]);
  });
});
