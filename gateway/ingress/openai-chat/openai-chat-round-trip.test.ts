// Property: a chat body decoded by the codec and re-encoded by the provider-side converter
// (buildOpenAIChatBody) comes back with the same messages, tools and parameters. The two are
// written independently, so a field either side loses or reshapes shows up here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTransformLog } from "../../formats/canonical";
import { buildOpenAIChatBody } from "../../providers/openai/openai-chat-adapter";
import { validateChatRequest } from "../../testing/mock-openai-validation";
import { decodeOpenAIChatRequest } from "./openai-chat-request";

type Json = Record<string, unknown>;

const text = fc.string({ minLength: 1, maxLength: 20 });
const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,15}$/);
const callId = fc.oneof(fc.stringMatching(/^call_[A-Za-z0-9]{8}$/), fc.stringMatching(/^toolu_[A-Za-z0-9]{10}$/));
const args = fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((v) => JSON.stringify(v));
const imageUrl = fc.oneof(
  fc.webUrl().map((url) => ({ url })),
  fc.base64String({ minLength: 4, maxLength: 16 }).map((data) => ({ url: `data:image/png;base64,${data}`, detail: "high" })),
);

const userMessage = fc.oneof(
  fc.record({ role: fc.constant("user"), content: fc.string({ maxLength: 20 }), name }, { requiredKeys: ["role", "content"] }),
  // Parts stay parts only next to an image (text-only parts are joined into a string upstream).
  fc
    .tuple(fc.array(text.map((t) => ({ type: "text", text: t })), { maxLength: 2 }), fc.array(imageUrl.map((u) => ({ type: "image_url", image_url: u })), { minLength: 1, maxLength: 2 }))
    .map(([texts, images]) => ({ role: "user", content: [...texts, ...images] })),
);
const assistantText = fc.record({ role: fc.constant("assistant"), content: text });
const midSystem = fc.record({ role: fc.constant("system"), content: text });
/** An assistant turn with tool calls, then one tool message per call, as the OpenAI SDK writes them. */
const toolExchange = fc
  .tuple(fc.option(text, { nil: null }), fc.uniqueArray(fc.tuple(callId, name, args), { minLength: 1, maxLength: 3, selector: ([id]) => id }), fc.array(fc.string({ maxLength: 10 }), { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([content, calls, results, echo]) => [
    {
      role: "assistant",
      content,
      ...(echo ? { refusal: null, annotations: [] } : {}),
      tool_calls: calls.map(([id, fn, a]) => ({ id, type: "function", function: { name: fn, arguments: a } })),
    },
    ...calls.map(([id], i) => ({ role: "tool", tool_call_id: id, content: results[i]! })),
  ]);

const conversation = fc
  .tuple(fc.option(text, { nil: undefined }), fc.array(fc.oneof(userMessage.map((m) => [m]), assistantText.map((m) => [m]), midSystem.map((m) => [m]), toolExchange), { minLength: 1, maxLength: 6 }))
  .map(([system, turns]) => {
    const messages: Json[] = turns.flat();
    // A system message first would be the system prompt, not a mid-conversation one.
    if (messages[0]?.role === "system") messages.unshift({ role: "user", content: "start" });
    return system === undefined ? messages : [{ role: "system", content: system }, ...messages];
  });

const tool = fc.record(
  {
    type: fc.constant("function"),
    function: fc.record({ name, description: text, parameters: fc.constant({ type: "object", properties: { q: { type: "string" } } }), strict: fc.boolean() }, { requiredKeys: ["name", "parameters"] }),
  },
  { requiredKeys: ["type", "function"] },
);

const chatBody = fc
  .record(
    {
      model: name,
      messages: conversation,
      tools: fc.uniqueArray(tool, { minLength: 1, maxLength: 3, selector: (t) => t.function.name }),
      tool_choice: fc.constantFrom("auto", "none", "required", "named"),
      parallel_tool_calls: fc.constant(false),
      max_completion_tokens: fc.integer({ min: 1, max: 100_000 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      stop: fc.array(text, { minLength: 1, maxLength: 4 }),
      seed: fc.integer(),
      presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
      frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
      user: text,
      reasoning_effort: fc.constantFrom("none", "minimal", "low", "medium", "high"),
      response_format: fc.oneof(
        fc.constant({ type: "json_object" }),
        fc.constant({ type: "text" }),
        fc.record({ type: fc.constant("json_schema"), json_schema: fc.record({ name, schema: fc.constant({ type: "object" }), strict: fc.boolean() }, { requiredKeys: ["name", "schema"] }) }),
      ),
      stream: fc.constant(true),
    },
    { requiredKeys: ["model", "messages"] },
  )
  .map((body) => {
    const out: Json = { ...body };
    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    if (!tools) {
      delete out.tool_choice;
      delete out.parallel_tool_calls;
    } else if (body.tool_choice === "named") out.tool_choice = { type: "function", function: { name: tools[0]!.function.name } };
    // parallel_tool_calls:false only travels with a tool_choice that allows calls.
    if (out.tool_choice === undefined || out.tool_choice === "none") delete out.parallel_tool_calls;
    if (out.stream) out.stream_options = { include_usage: true };
    return out;
  });

/** What the SDK echoes and the canonical model intentionally drops. */
function withoutEchoes(body: Json): Json {
  const messages = (body.messages as Json[]).map((m) => {
    const { refusal: _refusal, annotations: _annotations, ...rest } = m;
    return rest;
  });
  return { ...body, messages };
}

describe("openai chat codec ↔ buildOpenAIChatBody", () => {
  it("keeps messages, tools and parameters through decode and re-encode", () => {
    fc.assert(
      fc.property(chatBody, (body) => {
        const request = decodeOpenAIChatRequest(structuredClone(body));
        const transforms = createTransformLog();
        const again = buildOpenAIChatBody(request, request.model, transforms, (id) => id);
        expect(again).toEqual(withoutEchoes(body));
        expect(validateChatRequest(again)).toBeNull();
        // Nothing is noted: stream_options is the gateway's own (streamUsage), and the provider body sets its own.
        expect(transforms.changes.map((c) => c.param)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a hand-written agent turn exactly", () => {
    const body = {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "system", content: "Answer in French." },
        { role: "assistant", content: "18 degrés." },
      ],
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object" }, strict: true } }],
      tool_choice: "auto",
      max_completion_tokens: 200,
    };
    const again = buildOpenAIChatBody(decodeOpenAIChatRequest(structuredClone(body)), "gpt-4o", createTransformLog(), (id) => id);
    expect(again).toEqual(body);
  });
});
