// A strict mock of Mistral's chat completions API (issue 3: "a Mistral mock as strict as the
// real one"). Like the real API it answers 422 `extra_forbidden` (pydantic-style `detail`)
// to any field it does not know — top level and inside messages — 422 to a reasoning_effort
// other than "none" / "high", and 400 to tool-call ids that are not 9 alphanumerics. Answers
// follow gateway/testing/mock-scenarios.ts; with reasoning_effort "high" a `thinking` chunk
// comes first, as Mistral's reasoning models send it.
//
//   tsx gateway/testing/mock-mistral-upstream.ts --port 9002
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { MISTRAL_CHAT_FIELDS } from "../providers/mistral/mistral-adapter";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

type Json = Record<string, unknown>;

export interface MockMistralRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface MockMistralUpstream {
  /** Base URL ending in /v1. */
  readonly url: string;
  readonly requests: MockMistralRequest[];
  close(): Promise<void>;
}

const MESSAGE_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  system: new Set(["role", "content", "prefix"]),
  user: new Set(["role", "content", "prefix"]),
  assistant: new Set(["role", "content", "tool_calls", "prefix"]),
  tool: new Set(["role", "content", "tool_call_id", "name"]),
};
const TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function extraForbidden(loc: (string | number)[], input: unknown): Json {
  return { detail: [{ type: "extra_forbidden", loc: ["body", ...loc], msg: "Extra inputs are not permitted", input }] };
}

/** The first validation failure, as Mistral reports it, or null. */
export function validateMistralRequest(body: unknown): { status: number; body: Json } | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { status: 400, body: { object: "error", message: "Invalid JSON body", type: "invalid_request_error", code: null } };
  const request = body as Json;
  for (const [field, value] of Object.entries(request)) if (!MISTRAL_CHAT_FIELDS.has(field)) return { status: 422, body: extraForbidden([field], value) };
  if (typeof request.model !== "string") return { status: 422, body: { detail: [{ type: "missing", loc: ["body", "model"], msg: "Field required", input: request }] } };
  if (request.reasoning_effort !== undefined && request.reasoning_effort !== "none" && request.reasoning_effort !== "high") {
    return { status: 422, body: { detail: [{ type: "enum", loc: ["body", "reasoning_effort"], msg: "Input should be 'none' or 'high'", input: request.reasoning_effort }] } };
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) return { status: 422, body: { detail: [{ type: "missing", loc: ["body", "messages"], msg: "Field required", input: request }] } };
  for (const [i, raw] of request.messages.entries()) {
    const message = raw as Json;
    const allowed = MESSAGE_FIELDS[String(message.role)];
    if (!allowed) return { status: 422, body: { detail: [{ type: "union_tag_invalid", loc: ["body", "messages", i], msg: "Input tag does not match any of the expected tags", input: message.role }] } };
    for (const [field, value] of Object.entries(message)) if (!allowed.has(field)) return { status: 422, body: extraForbidden(["messages", i, String(message.role), field], value) };
    const ids = [...(Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]).map((c) => c.id) : []), ...(message.role === "tool" ? [message.tool_call_id] : [])];
    for (const id of ids) {
      if (typeof id !== "string" || !TOOL_CALL_ID.test(id)) {
        return { status: 400, body: { object: "error", message: `Tool call id was ${String(id)} but must be a-z, A-Z, 0-9, with a length of 9.`, type: "invalid_request_message_order", param: null, code: "3280" } };
      }
    }
  }
  return null;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof (p as Json).text === "string" ? (p as Json).text : "")).join(" ");
  return "";
}

function outcomeFor(request: Json): ScenarioOutcome {
  const messages = request.messages as Json[];
  const last = messages[messages.length - 1]!;
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]).map((t) => String((t.function as Json | undefined)?.name ?? "")) : [];
  return scenarioOutcome({
    lastUserText: textOf(lastUser?.content),
    toolResultText: last.role === "tool" ? textOf(last.content) : null,
    toolNames: tools,
    wantsReasoning: request.reasoning_effort === "high",
  });
}

function toolCallId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join("");
}

function usage(request: Json, outcome: ScenarioOutcome): Json {
  const prompt = scenarioTokens(JSON.stringify(request.messages));
  const completion = (outcome.kind === "text" ? scenarioTokens(outcome.text) : 8) + (outcome.reasoning ? REASONING_TOKENS : 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function respondJson(res: http.ServerResponse, request: Json, outcome: ScenarioOutcome): void {
  const message: Json = { role: "assistant", tool_calls: null, content: outcome.kind === "text" ? outcome.text : "" };
  if (outcome.reasoning) message.content = [{ type: "thinking", thinking: [{ type: "text", text: outcome.reasoning }] }, { type: "text", text: outcome.kind === "text" ? outcome.text : "" }];
  if (outcome.kind === "tool_call") message.tool_calls = [{ id: toolCallId(), type: "function", index: 0, function: { name: outcome.toolName, arguments: JSON.stringify(outcome.arguments) } }];
  send(res, 200, {
    id: randomBytes(16).toString("hex"),
    object: "chat.completion",
    model: request.model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, message, finish_reason: outcome.kind === "tool_call" ? "tool_calls" : "stop" }],
    usage: usage(request, outcome),
  });
}

function respondStream(res: http.ServerResponse, request: Json, outcome: ScenarioOutcome): void {
  const id = randomBytes(16).toString("hex");
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const chunk = (delta: Json, finish: string | null = null, extra: Json = {}) =>
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
  chunk({ role: "assistant", content: "" });
  if (outcome.reasoning) for (const piece of streamPiecesOf(outcome.reasoning)) chunk({ content: [{ type: "thinking", thinking: [{ type: "text", text: piece }] }] });
  if (outcome.kind === "text") {
    for (const piece of streamPiecesOf(outcome.text)) chunk({ content: piece });
    chunk({ content: "" }, "stop", { usage: usage(request, outcome) });
  } else {
    // Mistral sends a tool call whole, in one chunk, unlike OpenAI's argument deltas.
    chunk({ tool_calls: [{ id: toolCallId(), type: "function", index: 0, function: { name: outcome.toolName, arguments: argumentPieces(outcome.arguments).join("") } }] });
    chunk({ content: "" }, "tool_calls", { usage: usage(request, outcome) });
  }
  res.end("data: [DONE]\n\n");
}

export async function startMockMistralUpstream(opts: { apiKey?: string; port?: number } = {}): Promise<MockMistralUpstream> {
  const requests: MockMistralRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      requests.push({ path, headers: req.headers, body });
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return send(res, 401, { message: "Unauthorized", request_id: randomBytes(8).toString("hex") });
      if (req.method === "GET" && path === "/v1/models") return send(res, 200, { object: "list", data: [{ id: "devstral-2512", object: "model" }] });
      if (req.method !== "POST" || path !== "/v1/chat/completions") return send(res, 404, { detail: "Not Found" });
      const failure = validateMistralRequest(body);
      if (failure) return send(res, failure.status, failure.body);
      const request = body as Json;
      const outcome = outcomeFor(request);
      if (request.stream === true) respondStream(res, request, outcome);
      else respondJson(res, request, outcome);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--port");
  const mock = await startMockMistralUpstream({ port: i > 0 ? Number(process.argv[i + 1]) : 9002 });
  console.log(`mock Mistral upstream on ${mock.url}`);
}
