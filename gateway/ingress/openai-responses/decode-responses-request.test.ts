import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { decodeResponsesRequest, REDACTED_THINKING_PREFIX } from "./decode-responses-request";
import { encodeResponsesError } from "./responses-errors";

type Json = Record<string, unknown>;

const codexTurn = JSON.parse(readFileSync(new URL("./__fixtures__/codex-turn.json", import.meta.url), "utf8")) as Json;
const OK: Json = { model: "gpt-5", input: "hello" };

function rejection(body: Json): { status: number; error: { message: string; type: string; param: string | null; code: string | null } } {
  try {
    decodeResponsesRequest(body);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(GatewayError);
    const encoded = encodeResponsesError(thrown as GatewayError);
    return { status: encoded.status, error: (encoded.body as { error: never }).error };
  }
  throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
}

describe("decodeResponsesRequest", () => {
  it("decodes a string input as one user turn", () => {
    const request = decodeResponsesRequest({ ...OK, instructions: "be brief", max_output_tokens: 64, temperature: 0.2, top_p: 0.9, user: "u-1" });
    expect(request).toEqual({
      model: "gpt-5",
      system: [{ type: "text", text: "be brief" }],
      messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
      tools: [],
      maxTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      stream: false,
      user: "u-1",
      extensions: {},
    });
  });

  it("decodes a Codex CLI turn: developer prompt as system, turns grouped, reasoning signed, hosted tools kept aside", () => {
    // The shape Codex CLI 0.171 sends (captured from its requests, texts shortened).
    const request = decodeResponsesRequest(codexTurn);
    expect(request.stream).toBe(true);
    expect(request.system).toEqual([{ type: "text", text: "You are a coding agent running in a terminal. Be precise and safe." }]);
    expect(request.messages.map((m) => m.role)).toEqual(["user", "user", "assistant", "user"]);
    expect(request.messages[2]!.content).toEqual([
      { type: "thinking", thinking: "**Listing files**\n\nI will run ls.", signature: "EqQBCkgIARABGAIiQLs0d2FmZWMxY2Q0NzA5OGFiZmEx" },
      { type: "text", text: "Let me look at the directory." },
      { type: "tool_use", id: "call_kD3oWvXzQ2p5XqJ0tC1m7bQe", name: "exec_command", input: { cmd: "ls -la", workdir: "/home/dev/project" } },
    ]);
    expect(request.messages[3]!.content).toEqual([
      { type: "tool_result", toolUseId: "call_kD3oWvXzQ2p5XqJ0tC1m7bQe", content: [{ type: "text", text: expect.stringContaining("README.md") }] },
    ]);
    expect(request.tools).toEqual([expect.objectContaining({ name: "exec_command", strict: false, parameters: expect.objectContaining({ required: ["cmd"] }) })]);
    expect(request.toolChoice).toEqual({ type: "auto" });
    expect(request.reasoning).toEqual({ effort: "medium", summary: "auto" });
    const ext = request.extensions.openai_responses!;
    expect(ext).toMatchObject({ store: false, include: ["reasoning.encrypted_content"], prompt_cache_key: "01a24fdb-8bb6-7300-880d-ed7f916c0300", client_metadata: { turn_id: "01a24fdb-8bd4-7972-8880-2d2ed3da1ba4" } });
    expect(ext["tools[1]"]).toMatchObject({ type: "namespace", name: "multi_agent_v1" });
    expect(ext["tools[2]"]).toEqual({ type: "web_search", external_web_access: false });
  });

  it("keeps leading system/developer messages as the system prompt and later ones in place", () => {
    const request = decodeResponsesRequest({
      model: "m",
      input: [
        { role: "developer", content: "rules" },
        { role: "user", content: [{ type: "input_text", text: "q1" }] },
        { type: "message", role: "system", content: [{ type: "input_text", text: "now be terse" }] },
        { role: "user", content: "q2" },
      ],
    });
    expect(request.system).toEqual([{ type: "text", text: "rules" }]);
    expect(request.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "q1" }] },
      { role: "system", content: [{ type: "text", text: "now be terse" }] },
      { role: "user", content: [{ type: "text", text: "q2" }] },
    ]);
  });

  it("decodes images (URL and data URL), cache breakpoints and tool outputs with parts", () => {
    const request = decodeResponsesRequest({
      model: "m",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "look", prompt_cache_breakpoint: { mode: "explicit" } },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "high" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
          ],
        },
        { type: "function_call", call_id: "c1", name: "shot", arguments: "{not json" },
        { type: "function_call_output", call_id: "c1", output: [{ type: "input_text", text: "here" }, { type: "input_image", image_url: "https://example.com/b.png", detail: "low" }] },
      ],
    });
    expect(request.messages[0]!.content).toEqual([
      { type: "text", text: "look", cacheControl: { type: "ephemeral" } },
      { type: "image", source: { kind: "url", url: "https://example.com/a.png" }, detail: "high" },
      { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" }, detail: "auto" },
    ]);
    // Invalid JSON arguments are kept verbatim.
    expect(request.messages[1]!.content).toEqual([{ type: "tool_use", id: "c1", name: "shot", input: {}, inputJson: "{not json" }]);
    expect(request.messages[2]!.content[0]).toEqual({
      type: "tool_result",
      toolUseId: "c1",
      content: [{ type: "text", text: "here" }, { type: "image", source: { kind: "url", url: "https://example.com/b.png" }, detail: "low" }],
    });
  });

  it("groups consecutive tool outputs into one turn and turns redacted reasoning back into redacted thinking", () => {
    const request = decodeResponsesRequest({
      model: "m",
      input: [
        { role: "user", content: "go" },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: `${REDACTED_THINKING_PREFIX}EmwKAhgB` },
        { type: "function_call", call_id: "a", name: "t", arguments: "{}" },
        { type: "function_call", call_id: "b", name: "t", arguments: "{}" },
        { type: "function_call_output", call_id: "a", output: "1" },
        { type: "function_call_output", call_id: "b", output: "2" },
      ],
    });
    expect(request.messages).toHaveLength(3);
    expect(request.messages[1]!.content.map((b) => b.type)).toEqual(["redacted_thinking", "tool_use", "tool_use"]);
    expect(request.messages[1]!.content[0]).toEqual({ type: "redacted_thinking", data: "EmwKAhgB" });
    expect(request.messages[2]!.content.map((b) => (b.type === "tool_result" ? b.toolUseId : b.type))).toEqual(["a", "b"]);
  });

  it("maps tool_choice, text.format and reasoning", () => {
    const tools = [{ type: "function", name: "get_weather", parameters: { type: "object" }, strict: true, description: "w" }];
    expect(decodeResponsesRequest({ ...OK, tools, tool_choice: "required" }).toolChoice).toEqual({ type: "any" });
    expect(decodeResponsesRequest({ ...OK, tools, tool_choice: "none" }).toolChoice).toEqual({ type: "none" });
    expect(decodeResponsesRequest({ ...OK, tools, tool_choice: { type: "function", name: "get_weather" }, parallel_tool_calls: false }).toolChoice).toEqual({ type: "tool", name: "get_weather", disableParallel: true });
    const allowed = decodeResponsesRequest({ ...OK, tools, tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "get_weather" }] } });
    expect(allowed.toolChoice).toEqual({ type: "any" });
    expect(allowed.extensions.openai_responses?.tool_choice).toMatchObject({ type: "allowed_tools" });
    expect(decodeResponsesRequest({ ...OK, tools }).tools).toEqual([{ name: "get_weather", description: "w", parameters: { type: "object" }, strict: true }]);
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(decodeResponsesRequest({ ...OK, text: { format: { type: "json_schema", name: "out", schema, strict: true } } }).responseFormat).toEqual({ type: "json_schema", name: "out", schema, strict: true });
    expect(decodeResponsesRequest({ ...OK, text: { format: { type: "json_object" } } }).responseFormat).toEqual({ type: "json_object" });
    expect(decodeResponsesRequest({ ...OK, reasoning: { effort: "high", generate_summary: "concise" } }).reasoning).toEqual({ effort: "high", summary: "concise" });
    expect(decodeResponsesRequest({ ...OK, reasoning: { effort: null } }).reasoning).toBeUndefined();
  });

  it("accepts store and metadata (recorded as extensions) and nulls the SDKs send for unset fields", () => {
    const request = decodeResponsesRequest({ ...OK, store: true, metadata: { run: "42" }, previous_response_id: null, temperature: null, instructions: null, tools: null });
    expect(request.extensions).toEqual({ openai_responses: { store: true, metadata: { run: "42" } } });
    expect(request.system).toEqual([]);
  });

  it("rejects every malformed body with 400 in OpenAI's shape, naming the field", () => {
    const cases: Array<[Json, string, string]> = [
      [{ ...OK, bogus: 1 }, "bogus", "Unknown parameter: 'bogus'."],
      [{ ...OK, messages: [] }, "messages", "Unknown parameter: 'messages'."],
      [{ input: "x" }, "model", "Missing required parameter: 'model'."],
      [{ model: "m" }, "input", "Missing required parameter: 'input'."],
      [{ model: "m", input: 5 }, "input", "Invalid type for 'input'"],
      [{ model: "m", input: [] }, "input", "at least one user"],
      [{ model: "m", input: [{ role: "robot", content: "x" }] }, "input[0].role", "Invalid value: \"robot\""],
      [{ model: "m", input: [{ role: "user", content: "x", name: "bob" }] }, "input[0].name", "Unknown parameter: 'input[0].name'."],
      [{ model: "m", input: [{ role: "user" }] }, "input[0].content", "Missing required parameter"],
      [{ model: "m", input: [{ role: "user", content: [{ type: "output_text", text: "x" }] }] }, "input[0].content[0].type", "Supported values are: 'input_text', 'input_image'"],
      [{ model: "m", input: [{ role: "user", content: [{ type: "input_text", text: "x", detail: "high" }] }] }, "input[0].content[0].detail", "Unknown parameter"],
      [{ model: "m", input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] }, "input[0].content[0].file_id", "not supported through the Switchyard gateway"],
      [{ model: "m", input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] }, "input[0].content[0].type", "not supported"],
      [{ model: "m", input: [{ type: "function_call", name: "t", arguments: "{}" }] }, "input[0].call_id", "Missing required parameter: 'input[0].call_id'."],
      [{ model: "m", input: [{ type: "function_call_output", call_id: "c" }] }, "input[0].output", "Missing required parameter"],
      [{ model: "m", input: [{ type: "reasoning", encrypted_content: "x" }] }, "input[0].summary", "Missing required parameter"],
      [{ model: "m", input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type", "stateless"],
      [{ model: "m", input: [{ type: "computer_call_output", call_id: "c" }] }, "input[0].type", "Invalid value"],
      [{ ...OK, previous_response_id: "resp_123" }, "previous_response_id", "stateless"],
      [{ ...OK, conversation: "conv_1" }, "conversation", "stateless"],
      [{ ...OK, background: true }, "background", "stateless"],
      [{ ...OK, tools: [{ type: "function", function: { name: "t", parameters: {} } }] }, "tools[0].name", "not nested under 'function'"],
      [{ ...OK, tools: [{ type: "function", name: "t", input_schema: {} }] }, "tools[0].input_schema", "Unknown parameter"],
      [{ ...OK, tools: [{ type: "function", parameters: {} }] }, "tools[0].name", "Missing required parameter"],
      [{ ...OK, tools: {} }, "tools", "Invalid type for 'tools'"],
      [{ ...OK, tool_choice: "any" }, "tool_choice", "Invalid value"],
      [{ ...OK, tool_choice: { type: "function" } }, "tool_choice.name", "Missing required parameter"],
      [{ ...OK, reasoning: { effort: "extreme" } }, "reasoning.effort", "Invalid value"],
      [{ ...OK, reasoning: { effort: "low", budget: 5 } }, "reasoning.budget", "Unknown parameter"],
      [{ ...OK, reasoning: { summary: "long" } }, "reasoning.summary", "Invalid value"],
      [{ ...OK, text: { format: { type: "json_schema", schema: {} } } }, "text.format.name", "Missing required parameter"],
      [{ ...OK, text: { format: { type: "xml" } } }, "text.format.type", "Invalid value"],
      [{ ...OK, text: { fmt: {} } }, "text.fmt", "Unknown parameter"],
      [{ ...OK, max_output_tokens: 5 }, "max_output_tokens", "integer below minimum value. Expected a value >= 16, but got 5 instead."],
      [{ ...OK, max_output_tokens: 20.5 }, "max_output_tokens", "expected an integer"],
      [{ ...OK, temperature: 3 }, "temperature", "decimal above maximum value"],
      [{ ...OK, temperature: "hot" }, "temperature", "Invalid type for 'temperature'"],
      [{ ...OK, top_p: -1 }, "top_p", "below minimum"],
      [{ ...OK, stream: "yes" }, "stream", "expected a boolean"],
      [{ ...OK, stream_options: { include_obfuscation: false } }, "stream_options", "only with stream"],
      [{ ...OK, store: "no" }, "store", "expected a boolean"],
      [{ ...OK, include: "reasoning.encrypted_content" }, "include", "an array of strings"],
      [{ ...OK, metadata: { n: 1 } }, "metadata", "string values"],
      [{ ...OK, parallel_tool_calls: "no" }, "parallel_tool_calls", "expected a boolean"],
      [{ ...OK, instructions: ["a"] }, "instructions", "Invalid type for 'instructions'"],
    ];
    for (const [body, param, message] of cases) {
      const { status, error } = rejection(body);
      expect({ body, status, type: error.type, param: error.param }).toEqual({ body, status: 400, type: "invalid_request_error", param });
      expect(error.message).toContain(message);
    }
  });
});
