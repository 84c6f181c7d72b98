// OpenAI Responses clients (Codex CLI's API) through the gateway's /v1/responses to providers
// of other families: the real `openai` SDK — `responses.create` and the `responses.stream()`
// helper with finalResponse(), whose accumulator rejects events out of order — against the
// strict Mistral, OpenAI chat and Anthropic mocks. Text, a two-turn tool call, reasoning,
// usage with cached and reasoning tokens, the incomplete status, Anthropic thinking sent back
// as encrypted_content, upstream errors in the client's shape marked upstream, bad input → 400.
// And the real Codex CLI (devDependency @openai/codex, offline) routed to the Anthropic mock,
// with a tool round trip: the client this surface exists for.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockThinkingSignature, MOCK_ANTHROPIC_MODELS, startMockAnthropicUpstream, type MockAnthropicUpstream } from "../testing/mock-anthropic-upstream";
import { startMockMistralUpstream, type MockMistralUpstream } from "../testing/mock-mistral-upstream";
import { MOCK_MODELS } from "../testing/mock-openai-behaviours";
import { MOCK_TOOL_ARGUMENTS, REASONING_TOKENS } from "../testing/mock-scenarios";
import { findLog, PROVIDER_NAME, startGatewayHarness, type GatewayHarness, type LogRow } from "./support/gateway-harness";
import { insertProvider } from "./support/seed";
import { waitFor } from "./support/wait-for";

type Json = Record<string, unknown>;

const MISTRAL_SECRET = "mistral-upstream-secret-0002";
const ANTHROPIC_SECRET = "sk-ant-upstream-secret-0002";
const MISTRAL = "mistral/devstral-2512";
const CLAUDE = "anthropic/claude-sonnet-4-5";
const CODEX_BIN = path.join(fileURLToPath(new URL("../..", import.meta.url)), "node_modules", ".bin", "codex");
const WEATHER = { type: "function" as const, name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: false };

let h: GatewayHarness;
let mistral: MockMistralUpstream;
let anthropic: MockAnthropicUpstream;
let client: OpenAI;

beforeAll(async () => {
  mistral = await startMockMistralUpstream({ apiKey: MISTRAL_SECRET });
  anthropic = await startMockAnthropicUpstream({ apiKey: ANTHROPIC_SECRET });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "mistral", type: "mistral", baseUrl: mistral.url, models: ["devstral-2512"], keys: [{ name: "main", secret: MISTRAL_SECRET }] });
      await insertProvider(db, {
        name: "anthropic",
        type: "anthropic",
        baseUrl: anthropic.url,
        models: ["claude-sonnet-4-5", MOCK_ANTHROPIC_MODELS.streamError],
        keys: [{ name: "main", secret: ANTHROPIC_SECRET }],
      });
    },
  });
  client = new OpenAI({ baseURL: `${h.gatewayUrl}/v1`, apiKey: h.virtualKey, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await mistral?.close();
  await anthropic?.close();
});

function lastBody(requests: ReadonlyArray<{ body: unknown }>): Json {
  return requests[requests.length - 1]!.body as Json;
}

async function logOf(requestId: string): Promise<LogRow & { client_api: string; param_transformations: Array<{ param: string; action: string }> }> {
  return (await waitFor(() => findLog(h.db, requestId), (row) => row !== undefined, { what: `log row ${requestId}` })) as never;
}

describe("Responses → Mistral (strict mock)", () => {
  it("answers text with usage, logged as openai_responses", async () => {
    const { data: response, response: raw } = await client.responses.create({ model: MISTRAL, instructions: "be brief", input: "hello there" }).withResponse();
    expect(response).toMatchObject({ object: "response", status: "completed", model: MISTRAL, output_text: "Echo: hello there", error: null, incomplete_details: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toEqual([expect.objectContaining({ type: "message", role: "assistant", status: "completed", content: [expect.objectContaining({ type: "output_text", text: "Echo: hello there" })] })]);
    expect(response.usage).toMatchObject({ output_tokens: 3, total_tokens: response.usage!.input_tokens + 3 });
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    expect(lastBody(mistral.requests)).toMatchObject({ model: "devstral-2512", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] });
    const log = await logOf(raw.headers.get("x-request-id")!);
    expect(log).toMatchObject({ status: 200, provider: "mistral", model: "devstral-2512", client_api: "openai_responses", request_type: "responses", is_stream: false });
  });

  it("completes a two-turn tool call, the client echoing the output items back", async () => {
    const first = await client.responses.create({ model: MISTRAL, tools: [WEATHER], input: "Please use the tool for Paris" });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", status: "completed", name: "get_weather", arguments: JSON.stringify(MOCK_TOOL_ARGUMENTS) });
    if (call?.type !== "function_call") throw new Error("no function call");
    expect(call.id).toMatch(/^fc_/);
    const second = await client.responses.create({
      model: MISTRAL,
      tools: [WEATHER],
      // Output items go back as input, as Codex does (the SDK's types do not allow every output item there).
      input: [{ role: "user", content: "Please use the tool for Paris" }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: "function_call_output", call_id: call.call_id, output: "sunny, 21°C" }],
    });
    expect(second.output_text).toBe("Tool result: sunny, 21°C");
    const sent = lastBody(mistral.requests).messages as Json[];
    expect(sent[1]).toMatchObject({ role: "assistant", tool_calls: [{ id: call.call_id, function: { name: "get_weather" } }] });
    expect(sent[2]).toMatchObject({ role: "tool", tool_call_id: call.call_id, content: "sunny, 21°C" });
  });

  it("streams reasoning then text in the exact event order, numbered from 0", async () => {
    const stream = client.responses.stream({ model: MISTRAL, input: "think about it", reasoning: { effort: "high", summary: "auto" } });
    const events: Array<{ type: string; sequence_number: number }> = [];
    stream.on("event", (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Thinking about: think about it" }] });
    expect(final.output[1]).toMatchObject({ type: "message", status: "completed" });
    expect(final.output_text).toBe("Echo: think about it");
    expect(final.usage?.output_tokens).toBe(4 + REASONING_TOKENS);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const collapsed = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(collapsed).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(lastBody(mistral.requests)).toMatchObject({ reasoning_effort: "high", stream: true });
    // The stream helper exposes no headers: the log row is the latest Mistral stream (tests in a file run in order).
    const latest = async () => (await h.db.query(`SELECT * FROM request_logs WHERE provider = 'mistral' AND request_type = 'responses_stream' ORDER BY created_at DESC LIMIT 1`)).rows[0] as Json | undefined;
    const log = await waitFor(latest, (row) => row !== undefined, { what: "stream log row" });
    expect(log).toMatchObject({ client_api: "openai_responses", is_stream: true, output_tokens: 4 + REASONING_TOKENS });
    expect(log!.param_transformations).toContainEqual(expect.objectContaining({ param: "stream_options", action: "dropped" }));
  });

  it("streams a tool call through the helper with its arguments intact", async () => {
    const final = await client.responses.stream({ model: MISTRAL, tools: [WEATHER], input: "use the tool now" }).finalResponse();
    expect(final.output).toEqual([expect.objectContaining({ type: "function_call", name: "get_weather", arguments: JSON.stringify(MOCK_TOOL_ARGUMENTS), status: "completed" })]);
  });
});

describe("Responses → OpenAI chat (strict mock)", () => {
  it("reports cached and reasoning tokens, JSON and streamed, also under /openai/v1", async () => {
    const model = `${PROVIDER_NAME}/${MOCK_MODELS.reasoningCached}`;
    const response = await client.responses.create({ model, input: "count my tokens please" });
    const details = { input_tokens_details: { cached_tokens: expect.any(Number) }, output_tokens_details: { reasoning_tokens: 7 } };
    expect(response.usage).toMatchObject(details);
    expect(response.usage!.input_tokens_details.cached_tokens).toBe(Math.floor(response.usage!.input_tokens / 2));
    const prefixed = new OpenAI({ baseURL: `${h.gatewayUrl}/openai/v1`, apiKey: h.virtualKey, maxRetries: 0 });
    const streamed = await prefixed.responses.stream({ model, input: "count my tokens please" }).finalResponse();
    expect(streamed.usage).toMatchObject({ ...details, input_tokens: response.usage!.input_tokens, output_tokens: response.usage!.output_tokens });
    expect(lastBody(h.upstream.requests)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("relays an upstream error in OpenAI's shape, marked as the provider's", async () => {
    const raw = await fetch(`${h.gatewayUrl}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.virtualKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `${PROVIDER_NAME}/${MOCK_MODELS.unprocessable}`, input: "x" }),
    });
    expect(raw.status).toBe(422);
    expect(raw.headers.get("x-switchyard-error-source")).toBe("upstream");
    const body = (await raw.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toMatch(/upstream/i);
    expect(body.error.message).toContain("Extra inputs are not permitted");
    await expect(client.responses.create({ model: `${PROVIDER_NAME}/${MOCK_MODELS.unprocessable}`, input: "x" })).rejects.toMatchObject({ status: 422 });
  });

  it("ends a stream the upstream broke with an error the SDK raises", async () => {
    const stream = client.responses.stream({ model: `${PROVIDER_NAME}/${MOCK_MODELS.resetAfterFirstByte}`, input: "break please" });
    await expect(stream.finalResponse()).rejects.toThrow(/upstream/i);
  });
});

describe("Responses → Anthropic (strict mock): Codex's route", () => {
  it("sends Anthropic thinking back as encrypted_content, verified by the provider", async () => {
    const thinking = "I considered the files.";
    const response = await client.responses.create({
      model: CLAUDE,
      max_output_tokens: 2048,
      input: [
        { role: "user", content: "list the files" },
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: thinking }], encrypted_content: mockThinkingSignature(thinking) },
        // How Codex echoes an assistant message: no id or status, which the SDK's types want.
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "README.md", annotations: [] }] },
        { role: "user", content: "thanks" },
      ] as OpenAI.Responses.ResponseInput,
    });
    expect(response.output_text).toBe("Echo: thanks");
    const sent = lastBody(anthropic.requests).messages as Json[];
    expect(sent[1]).toEqual({ role: "assistant", content: [{ type: "thinking", thinking, signature: mockThinkingSignature(thinking) }, { type: "text", text: "README.md" }] });
  });

  it("says incomplete when the answer hit max_output_tokens, JSON and streamed", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const response = await client.responses.create({ model: CLAUDE, input: long, max_output_tokens: 16 });
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(response.output[0]).toMatchObject({ type: "message", status: "incomplete" });
    const events: string[] = [];
    const stream = client.responses.stream({ model: CLAUDE, input: long, max_output_tokens: 16 });
    stream.on("event", (event) => events.push(event.type));
    const final = await stream.finalResponse();
    expect(final).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(events[events.length - 1]).toBe("response.incomplete");
  });

  it("turns an error event inside an Anthropic stream into an error the SDK raises", async () => {
    const stream = client.responses.stream({ model: `anthropic/${MOCK_ANTHROPIC_MODELS.streamError}`, input: "a long story please" });
    await expect(stream.finalResponse()).rejects.toThrow(/Overloaded/);
  });
});

describe("Responses surface: bad input", () => {
  const post = (body: unknown, key = h.virtualKey) =>
    fetch(`${h.gatewayUrl}/v1/responses`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("answers malformed bodies with 400 in OpenAI's shape, naming the field, before any upstream call", async () => {
    const upstreamCalls = mistral.requests.length;
    for (const [body, param] of [
      [{ model: MISTRAL, input: "x", bogus: 1 }, "bogus"],
      [{ model: MISTRAL, input: "x", previous_response_id: "resp_abc" }, "previous_response_id"],
      [{ model: MISTRAL, input: "x", tools: [{ type: "function", function: { name: "f", parameters: {} } }] }, "tools[0].name"],
      [{ model: MISTRAL, input: [{ role: "robot", content: "x" }] }, "input[0].role"],
      [{ model: MISTRAL, input: "x", max_output_tokens: 4 }, "max_output_tokens"],
      [{ input: "x" }, "model"],
    ] as const) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-switchyard-error-source")).toBe("gateway");
      const json = (await response.json()) as { error: { type: string; param: string; message: string } };
      expect(json.error).toMatchObject({ type: "invalid_request_error", param });
    }
    const notJson = await post("{not json");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    expect(mistral.requests.length).toBe(upstreamCalls);
    await expect(client.responses.create({ model: MISTRAL, input: "x", previous_response_id: "resp_abc" })).rejects.toMatchObject({ status: 400, param: "previous_response_id", code: "unsupported_parameter" });
  });

  it("answers a wrong key with 401 in OpenAI's shape", async () => {
    const response = await post({ model: MISTRAL, input: "x" }, "sk-sy-wrong");
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
  });
});

describe("Codex CLI → /v1/responses → Anthropic (strict mock)", () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "sy-codex-home-"));
    // A custom provider speaking the Responses API at the gateway, as the README documents.
    writeFileSync(
      path.join(home, "config.toml"),
      [
        `model = "${CLAUDE}"`,
        `model_provider = "switchyard"`,
        `[model_providers.switchyard]`,
        `name = "Switchyard"`,
        `base_url = "${h.gatewayUrl}/v1"`,
        `env_key = "SWITCHYARD_API_KEY"`,
        `wire_api = "responses"`,
        `request_max_retries = 0`,
        `stream_max_retries = 0`,
      ].join("\n"),
    );
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function runCodex(prompt: string): Promise<{ code: number | null; events: Json[]; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(CODEX_BIN, ["exec", "--json", "--skip-git-repo-check", prompt], {
        cwd: home,
        env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: home, CODEX_HOME: home, SWITCHYARD_API_KEY: h.virtualKey },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        const events = stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Json);
        resolve({ code, events, stderr });
      });
    });
  }

  it("answers a prompt and runs a tool round trip, with usage", async () => {
    const before = anthropic.requests.length;
    const run = await runCodex("please use the tool");
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    const messages = run.events.filter((e) => e.type === "item.completed" && (e.item as Json).type === "agent_message").map((e) => (e.item as Json).text);
    // The mock called Codex's first tool; Codex ran it and sent the result back; the mock echoed it.
    expect(messages).toEqual([expect.stringMatching(/^Tool result: /)]);
    expect(run.events[run.events.length - 1]).toMatchObject({ type: "turn.completed", usage: { output_tokens: expect.any(Number) } });
    const calls = anthropic.requests.slice(before).map((r) => r.body as Json);
    expect(calls).toHaveLength(2);
    const turns = calls[1]!.messages as Array<{ role: string; content: Json[] }>;
    expect(turns[turns.length - 2]!.content).toContainEqual(expect.objectContaining({ type: "tool_use" }));
    expect(turns[turns.length - 1]!.content[0]).toMatchObject({ type: "tool_result" });
  }, 90_000);
});
