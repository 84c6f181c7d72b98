// A strict mock of Cohere's v2 Chat API (POST /v2/chat). Strict on purpose (STYLE §12):
// - a bearer key is required (401 "invalid api token" otherwise);
// - unknown fields, top level and per message role, get Cohere's 400
//   {"message": "invalid request: unknown field: parameter X is not a valid field"}; so do
//   p outside 0.01–0.99, k above 500, content part types a role cannot hold, tool messages
//   answering no earlier tool call, and `thinking` sent to a model known not to reason;
// - answers follow gateway/testing/mock-scenarios.ts: reasoning (a `thinking` content part)
//   when thinking.type is "enabled"; a tool call comes with a tool_plan, as Cohere's models
//   always write one;
// - streams are SSE with `event:` lines in Cohere's exact order: message-start, then
//   content-start/-delta*/-end per part or tool-plan-delta* then tool-call-start/-delta*/-end,
//   and message-end with finish_reason and usage.
// Fault triggers in the last user text: THROTTLE_TRIGGER → 429, STREAM_ERROR_TRIGGER → a
// stream that ends after its first delta with finish_reason ERROR.
//
//   tsx gateway/testing/mock-cohere-upstream.ts --port 9005
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { COHERE_CHAT_FIELDS, COHERE_CONTENT_TYPES, COHERE_MESSAGE_FIELDS, cohereModelTakesThinking } from "../providers/cohere/wire";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

type Json = Record<string, unknown>;

export const COHERE_THROTTLE_TRIGGER = "throttle me";
export const COHERE_STREAM_ERROR_TRIGGER = "fail mid-stream";
/** Tokens Cohere's prompt template adds: counted in `tokens`, not billed. */
const TEMPLATE_TOKENS = 12;

export interface MockCohereOptions {
  readonly apiKey: string;
  /** Models served; others get 404 (default: any). */
  readonly models?: readonly string[];
  readonly port?: number;
}

export interface MockCohereRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface MockCohereUpstream {
  /** The API origin, to use as the provider's base URL (the adapter appends /v2/chat). */
  readonly url: string;
  readonly requests: MockCohereRequest[];
  close(): Promise<void>;
}

class CohereFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new CohereFailure(400, `invalid request: ${message}`);
const unknownField = (path: string) => invalid(`unknown field: parameter ${path} is not a valid field`);

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function validateContent(content: unknown, role: string, path: string): void {
  if (typeof content === "string") return;
  if (!Array.isArray(content)) throw invalid(`${path} must be a string or a list of content items`);
  content.forEach((part, k) => {
    if (!isObject(part) || typeof part.type !== "string") throw invalid(`${path}[${k}].type is required`);
    if (!COHERE_CONTENT_TYPES[role]!.has(part.type)) throw invalid(`${path}[${k}]: content type '${part.type}' is not supported for ${role} messages`);
    const fields = part.type === "text" ? ["type", "text"] : part.type === "thinking" ? ["type", "thinking"] : part.type === "image_url" ? ["type", "image_url"] : ["type", "document"];
    for (const key of Object.keys(part)) if (!fields.includes(key)) throw unknownField(`${path}[${k}].${key}`);
    if (part.type === "text" && typeof part.text !== "string") throw invalid(`${path}[${k}].text must be a string`);
    if (part.type === "thinking" && typeof part.thinking !== "string") throw invalid(`${path}[${k}].thinking must be a string`);
  });
}

/** The first validation failure of a v2 chat body, as Cohere reports it; throws. */
export function validateCohereRequest(body: unknown, models: readonly string[] | undefined): void {
  if (!isObject(body)) throw invalid("cannot parse request body as JSON");
  for (const field of Object.keys(body)) if (!COHERE_CHAT_FIELDS.has(field)) throw unknownField(field);
  if (typeof body.model !== "string" || body.model === "") throw invalid("model must be specified");
  if (models && !models.includes(body.model)) throw new CohereFailure(404, `model '${body.model}' not found, make sure the correct model ID was used and that you have access to the model.`);
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalid("messages must contain at least one message");
  if (body.p !== undefined && (typeof body.p !== "number" || body.p < 0.01 || body.p > 0.99)) throw invalid("p must be between 0.01 and 0.99");
  if (body.k !== undefined && (typeof body.k !== "number" || !Number.isInteger(body.k) || body.k < 0 || body.k > 500)) throw invalid("k must be an integer between 0 and 500");
  if (body.max_tokens !== undefined && (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)) throw invalid("max_tokens must be a positive integer");
  if (body.tool_choice !== undefined && body.tool_choice !== "REQUIRED" && body.tool_choice !== "NONE") throw invalid("tool_choice must be one of REQUIRED, NONE");
  if (body.stop_sequences !== undefined && (!Array.isArray(body.stop_sequences) || body.stop_sequences.length > 5)) throw invalid("stop_sequences must be a list of at most 5 strings");
  if (body.thinking !== undefined) {
    const t = body.thinking;
    if (!isObject(t)) throw invalid("thinking must be an object");
    for (const key of Object.keys(t)) if (key !== "type" && key !== "token_budget") throw unknownField(`thinking.${key}`);
    if (t.type !== "enabled" && t.type !== "disabled") throw invalid("thinking.type must be one of enabled, disabled");
    if (t.token_budget !== undefined && (typeof t.token_budget !== "number" || !Number.isInteger(t.token_budget) || t.token_budget < 1)) throw invalid("thinking.token_budget must be a positive integer");
    if (t.type === "enabled" && !cohereModelTakesThinking(body.model)) throw invalid(`model '${body.model}' does not support thinking`);
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalid("tools must be a list");
    body.tools.forEach((tool, i) => {
      if (!isObject(tool)) throw invalid(`tools[${i}] must be an object`);
      for (const key of Object.keys(tool)) if (key !== "type" && key !== "function") throw unknownField(`tools[${i}].${key}`);
      if (tool.type !== "function" || !isObject(tool.function)) throw invalid(`tools[${i}].type must be function`);
      for (const key of Object.keys(tool.function)) if (!["name", "description", "parameters"].includes(key)) throw unknownField(`tools[${i}].function.${key}`);
      if (typeof tool.function.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.function.name)) throw invalid(`tools[${i}].function.name is invalid`);
    });
  }
  const callIds = new Set<string>();
  body.messages.forEach((raw, i) => {
    if (!isObject(raw)) throw invalid(`messages[${i}] must be an object`);
    const allowed = COHERE_MESSAGE_FIELDS[String(raw.role)];
    if (!allowed) throw invalid(`messages[${i}].role must be one of system, user, assistant, tool`);
    for (const key of Object.keys(raw)) if (!allowed.has(key)) throw unknownField(`messages[${i}].${key}`);
    const role = raw.role as string;
    if (role === "assistant") {
      if (raw.content === undefined && raw.tool_calls === undefined) throw invalid(`messages[${i}]: assistant message must have content or tool_calls`);
      if (raw.content !== undefined) validateContent(raw.content, role, `messages[${i}].content`);
      if (raw.tool_plan !== undefined && typeof raw.tool_plan !== "string") throw invalid(`messages[${i}].tool_plan must be a string`);
      if (raw.tool_calls !== undefined) {
        if (!Array.isArray(raw.tool_calls)) throw invalid(`messages[${i}].tool_calls must be a list`);
        raw.tool_calls.forEach((call, k) => {
          if (!isObject(call)) throw invalid(`messages[${i}].tool_calls[${k}] must be an object`);
          for (const key of Object.keys(call)) if (!["id", "type", "function"].includes(key)) throw unknownField(`messages[${i}].tool_calls[${k}].${key}`);
          if (typeof call.id !== "string" || call.id === "") throw invalid(`messages[${i}].tool_calls[${k}].id is required`);
          if (!isObject(call.function) || typeof call.function.name !== "string" || typeof call.function.arguments !== "string") throw invalid(`messages[${i}].tool_calls[${k}].function must have a name and string arguments`);
          callIds.add(call.id);
        });
      }
      return;
    }
    if (raw.content === undefined) throw invalid(`messages[${i}].content is required`);
    validateContent(raw.content, role, `messages[${i}].content`);
    if (role === "tool") {
      if (typeof raw.tool_call_id !== "string") throw invalid(`messages[${i}].tool_call_id is required`);
      if (!callIds.has(raw.tool_call_id)) throw invalid(`messages[${i}]: tool call id '${raw.tool_call_id}' does not match any tool call in previous messages`);
    }
    if ((role === "user" || role === "system") && typeof raw.content === "string" && raw.content.trim() === "") {
      throw invalid("message must be at least 1 token long or tool results must be specified.");
    }
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return (content as Json[]).filter((p) => p.type === "text").map((p) => String(p.text)).join(" ");
  return "";
}

function outcomeFor(body: Json): ScenarioOutcome {
  const messages = body.messages as Json[];
  const last = messages[messages.length - 1]!;
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const toolResults = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === "tool"; i--) toolResults.unshift(textOf(messages[i]!.content));
  return scenarioOutcome({
    lastUserText: textOf(lastUser?.content),
    toolResultText: last.role === "tool" ? toolResults.join(" ") : null,
    toolNames: Array.isArray(body.tools) ? (body.tools as Json[]).map((t) => String((t.function as Json).name)) : [],
    wantsReasoning: isObject(body.thinking) && body.thinking.type === "enabled",
  });
}

function usageFor(body: Json, outcome: ScenarioOutcome): Json {
  const input = scenarioTokens(JSON.stringify(body.messages));
  const output = (outcome.kind === "text" ? scenarioTokens(outcome.text) : 8) + (outcome.reasoning ? REASONING_TOKENS : 0);
  return { billed_units: { input_tokens: input, output_tokens: output }, tokens: { input_tokens: input + TEMPLATE_TOKENS, output_tokens: output } };
}

function toolCallId(name: string): string {
  return `${name}_${randomBytes(6).toString("hex")}`;
}

function toolPlan(outcome: ScenarioOutcome & { kind: "tool_call" }): string {
  return `I will use the ${outcome.toolName} tool to answer.`;
}

function respondJson(res: http.ServerResponse, body: Json, outcome: ScenarioOutcome): void {
  const content: Json[] = [];
  if (outcome.reasoning) content.push({ type: "thinking", thinking: outcome.reasoning });
  const message: Json = { role: "assistant" };
  if (outcome.kind === "text") content.push({ type: "text", text: outcome.text });
  else {
    message.tool_plan = toolPlan(outcome);
    message.tool_calls = [{ id: toolCallId(outcome.toolName), type: "function", function: { name: outcome.toolName, arguments: JSON.stringify(outcome.arguments) } }];
  }
  if (content.length > 0) message.content = content;
  send(res, 200, { id: randomUUID(), finish_reason: outcome.kind === "tool_call" ? "TOOL_CALL" : "COMPLETE", message, usage: usageFor(body, outcome) });
}

function respondStream(res: http.ServerResponse, body: Json, outcome: ScenarioOutcome, failMidStream: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const emit = (type: string, data: Json) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  emit("message-start", { id: randomUUID(), delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } });
  let index = 0;
  if (outcome.reasoning) {
    emit("content-start", { index, delta: { message: { content: { type: "thinking", thinking: "" } } } });
    for (const piece of streamPiecesOf(outcome.reasoning)) emit("content-delta", { index, delta: { message: { content: { thinking: piece } } } });
    emit("content-end", { index });
    index++;
  }
  if (outcome.kind === "text") {
    emit("content-start", { index, delta: { message: { content: { type: "text", text: "" } } } });
    for (const piece of streamPiecesOf(outcome.text)) {
      emit("content-delta", { index, delta: { message: { content: { text: piece } } } });
      if (failMidStream) {
        emit("message-end", { delta: { error: "internal server error, this has been reported to our developers", finish_reason: "ERROR" } });
        res.end();
        return;
      }
    }
    emit("content-end", { index });
  } else {
    for (const piece of streamPiecesOf(toolPlan(outcome))) emit("tool-plan-delta", { delta: { message: { tool_plan: piece } } });
    emit("tool-call-start", { index: 0, delta: { message: { tool_calls: { id: toolCallId(outcome.toolName), type: "function", function: { name: outcome.toolName, arguments: "" } } } } });
    for (const piece of argumentPieces(outcome.arguments)) emit("tool-call-delta", { index: 0, delta: { message: { tool_calls: { function: { arguments: piece } } } } });
    emit("tool-call-end", { index: 0 });
  }
  emit("message-end", { delta: { finish_reason: outcome.kind === "tool_call" ? "TOOL_CALL" : "COMPLETE", usage: usageFor(body, outcome) } });
  res.end();
}

export async function startMockCohereUpstream(opts: MockCohereOptions): Promise<MockCohereUpstream> {
  const requests: MockCohereRequest[] = [];
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = undefined;
    }
    requests.push({ path, headers: req.headers, body });
    const authorization = req.headers.authorization;
    if (!authorization) throw new CohereFailure(401, "no api key supplied");
    if (authorization !== `Bearer ${opts.apiKey}`) throw new CohereFailure(401, "invalid api token");
    if (req.method !== "POST" || path !== "/v2/chat") throw new CohereFailure(404, `route ${req.method} ${path} not found`);
    validateCohereRequest(body, opts.models);
    const request = body as Json;
    const lastUser = textOf([...(request.messages as Json[])].reverse().find((m) => m.role === "user")?.content).toLowerCase();
    if (lastUser.includes(COHERE_THROTTLE_TRIGGER)) throw new CohereFailure(429, "You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'.");
    const outcome = outcomeFor(request);
    if (request.stream === true) respondStream(res, request, outcome, lastUser.includes(COHERE_STREAM_ERROR_TRIGGER));
    else respondJson(res, request, outcome);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (error) {
        const failure = error instanceof CohereFailure ? error : new CohereFailure(500, `internal server error: ${String(error)}`);
        send(res, failure.status, { id: randomUUID(), message: failure.message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--port");
  const k = process.argv.indexOf("--api-key");
  const mock = await startMockCohereUpstream({ port: i > 0 ? Number(process.argv[i + 1]) : 9005, apiKey: k > 0 ? process.argv[k + 1]! : "mock-cohere-key" });
  console.log(`mock Cohere upstream on ${mock.url}`);
}
