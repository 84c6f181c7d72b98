// A strict mock of Amazon Bedrock's Converse / ConverseStream API (bedrock-runtime). Strict
// on purpose (STYLE §12):
// - it verifies AWS Signature V4 for real: the signature is recomputed with
//   @smithy/signature-v4 from the request as received (method, raw path, the headers named
//   in SignedHeaders, the body) and compared; a mismatch gets Bedrock's 403
//   InvalidSignatureException. A configured Bedrock API key is accepted as a bearer token;
// - it rejects what Bedrock rejects, with Bedrock's messages (400 ValidationException):
//   unknown members (stricter than the service, which ignores some — so adapter mistakes
//   show), blank text, turns that do not alternate, tool blocks without toolConfig, tool
//   results without their call, Claude thinking rules (budget ≥ 1024 and < maxTokens, a
//   final assistant tool turn that does not start with its thinking, a signature it did not
//   issue);
// - answers follow gateway/testing/mock-scenarios.ts. Reasoning is on when
//   additionalModelRequestFields has thinking (Claude) or reasoningConfig / reasoning_config
//   enabled; Claude reasoning carries a signature the mock can verify on the next turn;
// - ConverseStream answers in the real AWS event-stream binary framing (@smithy's codec),
//   each payload padded with "p" as Bedrock does, frames written split mid-frame;
// - cachePoint blocks get cache usage: written on first sight of a prefix, read after.
// Fault triggers in the last user text: THROTTLE_TRIGGER → 429 ThrottlingException,
// STREAM_EXCEPTION_TRIGGER → a modelStreamErrorException frame after the first text delta.
//
//   tsx gateway/testing/mock-bedrock-upstream.ts --port 9004
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { Sha256 } from "@aws-crypto/sha256-js";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { SignatureV4 } from "@smithy/signature-v4";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import {
  CONTENT_BLOCK_MEMBERS,
  CONVERSE_REQUEST_FIELDS,
  IMAGE_FORMATS,
  INFERENCE_CONFIG_FIELDS,
  isClaudeModel,
  isNovaModel,
  MESSAGE_FIELDS,
  SYSTEM_BLOCK_MEMBERS,
  TOOL_RESULT_CONTENT_MEMBERS,
} from "../providers/bedrock/wire";
import { argumentPieces, REASONING_TOKENS, scenarioOutcome, scenarioTokens, streamPiecesOf, type ScenarioOutcome } from "./mock-scenarios";

type Json = Record<string, unknown>;

export const BEDROCK_THROTTLE_TRIGGER = "throttle me";
export const BEDROCK_STREAM_EXCEPTION_TRIGGER = "fail mid-stream";
export const BEDROCK_SIGNATURE_MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export interface MockBedrockOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** The region signatures must be scoped to (default us-east-1). */
  readonly region?: string;
  /** A Bedrock API key accepted as `Authorization: Bearer`. */
  readonly apiKey?: string;
  /** Model ids served; others get "The provided model identifier is invalid." (default: any). */
  readonly models?: readonly string[];
  readonly port?: number;
}

export interface MockBedrockRequest {
  readonly operation: "converse" | "converse-stream";
  readonly modelId: string;
  /** The path as received (percent-encoded). */
  readonly rawPath: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
  readonly auth: "sigv4" | "api_key";
}

export interface MockBedrockUpstream {
  /** The endpoint, to use as the provider's base URL (no trailing slash). */
  readonly url: string;
  readonly requests: MockBedrockRequest[];
  close(): Promise<void>;
}

class BedrockFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string) => new BedrockFailure(400, "ValidationException", message);
const extraneous = (pointer: string, key: string) => validation(`Malformed input request: #${pointer}: extraneous key [${key}] is not permitted, please reformat your input and try again.`);

function sendError(res: http.ServerResponse, failure: BedrockFailure): void {
  const payload = JSON.stringify({ message: failure.message });
  res.writeHead(failure.status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    "x-amzn-errortype": `${failure.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    "x-amzn-requestid": randomBytes(16).toString("hex"),
  });
  res.end(payload);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function onlyKeys(value: Json, allowed: ReadonlySet<string>, pointer: string): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) throw extraneous(pointer, key);
}

/** A tagged union member: exactly one key, from `members`. */
function unionMember(value: unknown, members: ReadonlySet<string>, pointer: string, what: string): [string, unknown] {
  if (!isObject(value)) throw validation(`Malformed input request: #${pointer}: expected type: JSONObject, found: ${Array.isArray(value) ? "JSONArray" : typeof value}, please reformat your input and try again.`);
  const keys = Object.keys(value);
  for (const key of keys) if (!members.has(key)) throw extraneous(pointer, key);
  if (keys.length !== 1) throw validation(`${what} at ${pointer.slice(1).replace(/\//g, ".")} must set exactly one member.`);
  return [keys[0]!, value[keys[0]!]];
}

// ── Authentication ───────────────────────────────────────────────────────────────────────

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

async function authenticate(req: http.IncomingMessage, rawPath: string, body: Buffer, opts: MockBedrockOptions, region: string): Promise<"sigv4" | "api_key"> {
  const authorization = header(req, "authorization");
  if (!authorization) throw new BedrockFailure(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  if (authorization.startsWith("Bearer ")) {
    if (opts.apiKey !== undefined && authorization.slice(7) === opts.apiKey) return "api_key";
    throw new BedrockFailure(403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.");
  }
  const m = AUTH_PATTERN.exec(authorization);
  if (!m) throw new BedrockFailure(403, "IncompleteSignatureException", `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.slice(0, 40)}`);
  const [, accessKeyId, dateStamp, scopeRegion, service, signedHeaderList, signature] = m as unknown as [string, string, string, string, string, string, string];
  if (accessKeyId !== opts.accessKeyId) throw new BedrockFailure(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  if (service !== "bedrock") throw new BedrockFailure(403, "InvalidSignatureException", `Credential should be scoped to correct service: 'bedrock'. `);
  if (scopeRegion !== region) throw new BedrockFailure(403, "InvalidSignatureException", `Credential should be scoped to a valid region. `);
  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date")) throw new BedrockFailure(403, "InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const amzDate = header(req, "x-amz-date") ?? "";
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || amzDate.slice(0, 8) !== dateStamp) throw new BedrockFailure(403, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
  const skewMs = Date.now() - signingDate.getTime();
  if (Math.abs(skewMs) > 5 * 60_000) {
    const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    throw new BedrockFailure(403, "InvalidSignatureException", `Signature expired: ${amzDate} is now earlier than ${new Date(Date.now() - 5 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, "")} (${now} - 5 min.)`);
  }
  if (opts.sessionToken !== undefined && header(req, "x-amz-security-token") !== opts.sessionToken) throw new BedrockFailure(403, "UnrecognizedClientException", "The security token included in the request is invalid.");

  // Recompute the signature from what arrived, over the headers the client says it signed.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(req, name);
    if (value === undefined) throw new BedrockFailure(403, "InvalidSignatureException", BEDROCK_SIGNATURE_MISMATCH_MESSAGE);
    headers[name] = value;
  }
  // A signed payload hash stands in for the body in the signature: it must be the body's.
  const claimedHash = headers["x-amz-content-sha256"];
  if (claimedHash !== undefined && claimedHash !== createHash("sha256").update(body).digest("hex")) throw new BedrockFailure(403, "InvalidSignatureException", BEDROCK_SIGNATURE_MISMATCH_MESSAGE);
  const [pathOnly, queryString = ""] = rawPath.split("?") as [string, string?];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(queryString)) query[k] = v;
  const signer = new SignatureV4({
    service: "bedrock",
    region,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}) },
    sha256: Sha256,
    uriEscapePath: true,
    // Only what the client signed counts: no x-amz-content-sha256 of the mock's own.
    applyChecksum: false,
  });
  const hostHeader = headers.host ?? "";
  const signed = await signer.sign(
    { method: req.method ?? "POST", protocol: "http:", hostname: hostHeader.split(":")[0] ?? "", path: pathOnly, query, headers, body },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  const expectedList = /SignedHeaders=([^,\s]+)/.exec(String(signed.headers.authorization ?? ""))?.[1];
  if (expectedList !== signedHeaderList || expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new BedrockFailure(403, "InvalidSignatureException", BEDROCK_SIGNATURE_MISMATCH_MESSAGE);
  }
  return "sigv4";
}

// ── Validation ───────────────────────────────────────────────────────────────────────────

/** Reasoning signatures the mock issues: only it can make them, as only Anthropic can make real ones. */
function reasoningSignature(secret: string, text: string): string {
  return createHmac("sha256", secret).update(text).digest("base64");
}

function validateContentBlock(block: unknown, role: string, pointer: string, dotted: string, claude: boolean, secret: string): void {
  const [member, value] = unionMember(block, CONTENT_BLOCK_MEMBERS, pointer, "ContentBlock");
  switch (member) {
    case "text":
      if (typeof value !== "string") throw validation(`Malformed input request: #${pointer}/text: expected type: String, please reformat your input and try again.`);
      if (value.trim() === "") throw validation(`The text field in the ContentBlock object at ${dotted} is blank. Add text to the text field, and try again.`);
      return;
    case "image": {
      if (!isObject(value)) throw validation(`Malformed input request: #${pointer}/image: expected type: JSONObject, please reformat your input and try again.`);
      onlyKeys(value, new Set(["format", "source"]), `${pointer}/image`);
      if (typeof value.format !== "string" || !IMAGE_FORMATS.has(value.format)) throw validation(`1 validation error detected: Value '${String(value.format)}' at '${dotted}.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [gif, jpeg, png, webp]`);
      const [kind, bytes] = unionMember(value.source, new Set(["bytes", "s3Location"]), `${pointer}/image/source`, "ImageSource");
      if (kind === "bytes" && (typeof bytes !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes === "")) throw validation(`Invalid base64 in ${dotted}.image.source.bytes`);
      return;
    }
    case "toolUse": {
      if (role !== "assistant") throw validation(`toolUse blocks are only allowed in assistant messages (${dotted}).`);
      if (!isObject(value)) throw validation(`Malformed input request: #${pointer}/toolUse: expected type: JSONObject, please reformat your input and try again.`);
      onlyKeys(value, new Set(["toolUseId", "name", "input"]), `${pointer}/toolUse`);
      if (typeof value.toolUseId !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(value.toolUseId)) throw validation(`1 validation error detected: Value at '${dotted}.member.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`);
      if (typeof value.name !== "string" || value.name === "") throw validation(`1 validation error detected: Value at '${dotted}.member.toolUse.name' failed to satisfy constraint: Member must not be null`);
      if (!isObject(value.input)) throw validation(`The value of ${dotted}.toolUse.input must be a JSON object.`);
      return;
    }
    case "toolResult": {
      if (role !== "user") throw validation(`toolResult blocks are only allowed in user messages (${dotted}).`);
      if (!isObject(value)) throw validation(`Malformed input request: #${pointer}/toolResult: expected type: JSONObject, please reformat your input and try again.`);
      onlyKeys(value, new Set(["toolUseId", "content", "status"]), `${pointer}/toolResult`);
      if (typeof value.toolUseId !== "string") throw validation(`1 validation error detected: Value at '${dotted}.member.toolResult.toolUseId' failed to satisfy constraint: Member must not be null`);
      if (!Array.isArray(value.content)) throw validation(`1 validation error detected: Value at '${dotted}.member.toolResult.content' failed to satisfy constraint: Member must not be null`);
      value.content.forEach((c, k) => {
        const [inner, innerValue] = unionMember(c, TOOL_RESULT_CONTENT_MEMBERS, `${pointer}/toolResult/content/${k}`, "ToolResultContentBlock");
        if (inner === "text" && typeof innerValue !== "string") throw validation(`Malformed input request: #${pointer}/toolResult/content/${k}/text: expected type: String, please reformat your input and try again.`);
      });
      if (value.status !== undefined && value.status !== "success" && value.status !== "error") throw validation(`1 validation error detected: Value '${String(value.status)}' at '${dotted}.member.toolResult.status' failed to satisfy constraint: Member must satisfy enum value set: [success, error]`);
      return;
    }
    case "reasoningContent": {
      if (role !== "assistant") throw validation(`reasoningContent blocks are only allowed in assistant messages (${dotted}).`);
      const [kind, inner] = unionMember(value, new Set(["reasoningText", "redactedContent"]), `${pointer}/reasoningContent`, "ReasoningContentBlock");
      if (kind === "redactedContent") {
        if (typeof inner !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(inner)) throw validation(`Invalid base64 in ${dotted}.reasoningContent.redactedContent`);
        return;
      }
      if (!isObject(inner)) throw validation(`Malformed input request: #${pointer}/reasoningContent/reasoningText: expected type: JSONObject, please reformat your input and try again.`);
      onlyKeys(inner, new Set(["text", "signature"]), `${pointer}/reasoningContent/reasoningText`);
      if (typeof inner.text !== "string") throw validation(`1 validation error detected: Value at '${dotted}.member.reasoningContent.reasoningText.text' failed to satisfy constraint: Member must not be null`);
      if (claude) {
        // Anthropic checks the signature of every thinking block sent back.
        if (typeof inner.signature !== "string") throw validation(`${dotted}.thinking.signature: Field required`);
        if (inner.signature !== reasoningSignature(secret, inner.text)) throw validation(`${dotted}: Invalid \`signature\` in \`thinking\` block`);
      }
      return;
    }
    case "cachePoint":
      if (!isObject(value) || value.type !== "default" || Object.keys(value).length !== 1) throw validation(`1 validation error detected: Value at '${dotted}.member.cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]`);
      return;
    default:
      // document, video, guardContent, citationsContent: accepted as they are.
      return;
  }
}

function thinkingEnabled(additional: Json | undefined): boolean {
  const thinking = additional?.thinking;
  if (isObject(thinking) && (thinking.type === "enabled" || thinking.type === "adaptive")) return true;
  const reasoning = additional?.reasoningConfig ?? additional?.reasoning_config;
  return isObject(reasoning) && reasoning.type === "enabled";
}

function validateAdditionalFields(modelId: string, additional: unknown, maxTokens: number | undefined): void {
  if (additional === undefined) return;
  if (!isObject(additional)) throw validation("Malformed input request: #: expected type: JSONObject, please reformat your input and try again.");
  const allowed = isClaudeModel(modelId)
    ? new Set(["thinking", "top_k", "anthropic_beta", "output_config"])
    : isNovaModel(modelId)
      ? new Set(["reasoningConfig", "inferenceConfig"])
      : new Set(["top_k", "reasoning_config"]);
  onlyKeys(additional, allowed, "");
  if (isClaudeModel(modelId) && additional.thinking !== undefined) {
    const t = additional.thinking;
    if (!isObject(t) || !["enabled", "adaptive", "disabled"].includes(String(t.type))) throw validation("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'");
    if (t.type === "enabled") {
      if (typeof t.budget_tokens !== "number" || t.budget_tokens < 1024) throw validation("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      if (maxTokens !== undefined && maxTokens <= t.budget_tokens) throw validation("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
    }
  }
  if (isClaudeModel(modelId) && additional.top_k !== undefined && (typeof additional.top_k !== "number" || additional.top_k < 0)) throw validation("top_k: Input should be a valid integer");
}

/** The first validation failure of a Converse body, as Bedrock reports it; throws. */
export function validateConverseRequest(modelId: string, body: unknown, secret: string): void {
  if (!isObject(body)) throw new BedrockFailure(400, "SerializationException", "Unable to parse the request body as JSON.");
  onlyKeys(body, CONVERSE_REQUEST_FIELDS, "");
  const claude = isClaudeModel(modelId);
  const inference = body.inferenceConfig;
  if (inference !== undefined) {
    if (!isObject(inference)) throw validation("Malformed input request: #/inferenceConfig: expected type: JSONObject, please reformat your input and try again.");
    onlyKeys(inference, INFERENCE_CONFIG_FIELDS, "/inferenceConfig");
    if (inference.maxTokens !== undefined && (typeof inference.maxTokens !== "number" || !Number.isInteger(inference.maxTokens) || inference.maxTokens < 1)) throw validation(`1 validation error detected: Value '${String(inference.maxTokens)}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    if (inference.stopSequences !== undefined && (!Array.isArray(inference.stopSequences) || inference.stopSequences.some((s) => typeof s !== "string"))) throw validation("1 validation error detected: Value at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must be a list of strings");
  }
  const additional = isObject(body.additionalModelRequestFields) ? body.additionalModelRequestFields : undefined;
  validateAdditionalFields(modelId, body.additionalModelRequestFields, isObject(inference) && typeof inference.maxTokens === "number" ? inference.maxTokens : undefined);
  if (body.additionalModelResponseFieldPaths !== undefined && (!Array.isArray(body.additionalModelResponseFieldPaths) || body.additionalModelResponseFieldPaths.some((p) => typeof p !== "string" || !p.startsWith("/")))) {
    throw validation("The additionalModelResponseFieldPaths field must be a list of JSON Pointers.");
  }
  if (body.system !== undefined) {
    if (!Array.isArray(body.system)) throw validation("Malformed input request: #/system: expected type: JSONArray, please reformat your input and try again.");
    body.system.forEach((b, i) => {
      const [member, value] = unionMember(b, SYSTEM_BLOCK_MEMBERS, `/system/${i}`, "SystemContentBlock");
      if (member === "text" && (typeof value !== "string" || value.trim() === "")) throw validation(`The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`);
      if (member === "cachePoint" && (!isObject(value) || value.type !== "default")) throw validation(`1 validation error detected: Value at 'system.${i}.member.cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]`);
    });
  }
  const toolConfig = body.toolConfig;
  if (toolConfig !== undefined) {
    if (!isObject(toolConfig)) throw validation("Malformed input request: #/toolConfig: expected type: JSONObject, please reformat your input and try again.");
    onlyKeys(toolConfig, new Set(["tools", "toolChoice"]), "/toolConfig");
    if (!Array.isArray(toolConfig.tools) || toolConfig.tools.length === 0) throw validation("1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1");
    toolConfig.tools.forEach((t, i) => {
      const [member, value] = unionMember(t, new Set(["toolSpec", "cachePoint", "systemTool"]), `/toolConfig/tools/${i}`, "Tool");
      if (member !== "toolSpec") return;
      if (!isObject(value)) throw validation(`Malformed input request: #/toolConfig/tools/${i}/toolSpec: expected type: JSONObject, please reformat your input and try again.`);
      onlyKeys(value, new Set(["name", "description", "inputSchema"]), `/toolConfig/tools/${i}/toolSpec`);
      if (typeof value.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(value.name)) throw validation(`1 validation error detected: Value at 'toolConfig.tools.${i}.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`);
      const [schemaKind] = unionMember(value.inputSchema, new Set(["json"]), `/toolConfig/tools/${i}/toolSpec/inputSchema`, "ToolInputSchema");
      if (schemaKind !== "json") throw validation(`toolConfig.tools.${i}.toolSpec.inputSchema must set json.`);
    });
    if (toolConfig.toolChoice !== undefined) {
      const [choice, value] = unionMember(toolConfig.toolChoice, new Set(["auto", "any", "tool"]), "/toolConfig/toolChoice", "ToolChoice");
      if (choice === "tool" && (!isObject(value) || typeof value.name !== "string")) throw validation("1 validation error detected: Value at 'toolConfig.toolChoice.tool.name' failed to satisfy constraint: Member must not be null");
      if (choice !== "tool" && (!isObject(value) || Object.keys(value).length > 0)) throw extraneous(`/toolConfig/toolChoice/${choice}`, Object.keys(value as Json)[0] ?? "");
    }
  }

  if (!Array.isArray(body.messages) || body.messages.length === 0) throw validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  let previousRole: string | null = null;
  let previousToolUseIds: string[] = [];
  let usesTools = false;
  body.messages.forEach((raw, i) => {
    if (!isObject(raw)) throw validation(`Malformed input request: #/messages/${i}: expected type: JSONObject, please reformat your input and try again.`);
    onlyKeys(raw, MESSAGE_FIELDS, `/messages/${i}`);
    if (raw.role !== "user" && raw.role !== "assistant") throw validation(`1 validation error detected: Value '${String(raw.role)}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`);
    if (i === 0 && raw.role !== "user") throw validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    if (raw.role === previousRole) throw validation("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.");
    if (!Array.isArray(raw.content) || raw.content.length === 0) throw validation(`The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`);
    const toolUseIds: string[] = [];
    const toolResultIds: string[] = [];
    raw.content.forEach((block, j) => {
      validateContentBlock(block, raw.role as string, `/messages/${i}/content/${j}`, `messages.${i}.content.${j}`, claude, secret);
      if (isObject(block) && isObject(block.toolUse)) toolUseIds.push(String(block.toolUse.toolUseId));
      if (isObject(block) && isObject(block.toolResult)) toolResultIds.push(String(block.toolResult.toolUseId));
    });
    if (toolUseIds.length > 0 || toolResultIds.length > 0) usesTools = true;
    if (raw.role === "user" && previousToolUseIds.length > 0) {
      const missing = previousToolUseIds.filter((id) => !toolResultIds.includes(id));
      if (missing.length > 0) throw validation(`Expected toolResult blocks at messages.${i}.content for the following Ids: ${missing.join(", ")}`);
    }
    const unknown = toolResultIds.filter((id) => !previousToolUseIds.includes(id));
    if (unknown.length > 0) throw validation(`The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`);
    previousToolUseIds = raw.role === "assistant" ? toolUseIds : [];
    previousRole = raw.role as string;
  });
  if (usesTools && toolConfig === undefined) throw validation("The toolConfig field must be defined when using toolUse and toolResult content blocks.");

  // Claude with thinking on: the last assistant turn that called tools must start with its thinking.
  if (claude && thinkingEnabled(additional)) {
    const messages = body.messages as Json[];
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.role !== "assistant") continue;
      const content = m.content as Json[];
      if (content.some((b) => isObject(b.toolUse)) && !isObject(content[0]?.reasoningContent)) {
        throw validation(`messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${isObject(content[0]?.toolUse) ? "tool_use" : "text"}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns.`);
      }
      break;
    }
  }
}

// ── Answers ──────────────────────────────────────────────────────────────────────────────

function textOf(blocks: unknown): string {
  return Array.isArray(blocks) ? (blocks as Json[]).filter((b) => typeof b.text === "string").map((b) => b.text as string).join(" ") : "";
}

function outcomeFor(body: Json): ScenarioOutcome {
  const messages = body.messages as Json[];
  const last = messages[messages.length - 1]!;
  const toolResults = (last.content as Json[]).filter((b) => isObject(b.toolResult)).map((b) => b.toolResult as Json);
  const lastUserWithText = [...messages].reverse().find((m) => m.role === "user" && textOf(m.content) !== "");
  const tools = isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools) ? (body.toolConfig.tools as Json[]).filter((t) => isObject(t.toolSpec)).map((t) => String((t.toolSpec as Json).name)) : [];
  return scenarioOutcome({
    lastUserText: textOf(lastUserWithText?.content),
    toolResultText: toolResults.length > 0 ? toolResults.map((r) => textOf(r.content)).join(" ") : null,
    toolNames: tools,
    wantsReasoning: thinkingEnabled(isObject(body.additionalModelRequestFields) ? body.additionalModelRequestFields : undefined),
  });
}

function toolUseId(): string {
  return `tooluse_${randomBytes(16).toString("base64url").replace(/[^A-Za-z0-9]/g, "").slice(0, 22)}`;
}

/** The cached prefix: everything up to the last cachePoint (system, tools, then messages). */
function cachedPrefix(body: Json): string | null {
  const sequence: unknown[] = [...(Array.isArray(body.system) ? body.system : []), ...(isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools) ? body.toolConfig.tools : [])];
  for (const m of body.messages as Json[]) sequence.push(...(m.content as unknown[]));
  let last = -1;
  sequence.forEach((b, i) => {
    if (isObject(b) && isObject(b.cachePoint)) last = i;
  });
  return last === -1 ? null : JSON.stringify(sequence.slice(0, last));
}

function usageFor(body: Json, outcome: ScenarioOutcome, seenPrefixes: Set<string>): Json {
  const total = scenarioTokens(JSON.stringify([body.system ?? [], body.messages]));
  const output = (outcome.kind === "text" ? scenarioTokens(outcome.text) : 8) + (outcome.reasoning ? REASONING_TOKENS : 0);
  const prefix = cachedPrefix(body);
  let cacheRead = 0;
  let cacheWrite = 0;
  if (prefix !== null) {
    const cached = Math.min(scenarioTokens(prefix), Math.max(total - 1, 0));
    const key = createHash("sha256").update(prefix).digest("hex");
    if (seenPrefixes.has(key)) cacheRead = cached;
    else {
      seenPrefixes.add(key);
      cacheWrite = cached;
    }
  }
  const input = total - cacheRead - cacheWrite;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output + cacheRead + cacheWrite, ...(prefix !== null ? { cacheReadInputTokens: cacheRead, cacheWriteInputTokens: cacheWrite } : {}) };
}

function reasoningBlock(secret: string, modelId: string, text: string): Json {
  // Only Claude signs its reasoning; other families send the text alone.
  return { reasoningContent: { reasoningText: { text, ...(isClaudeModel(modelId) ? { signature: reasoningSignature(secret, text) } : {}) } } };
}

function respondJson(res: http.ServerResponse, modelId: string, outcome: ScenarioOutcome, usage: Json, secret: string): void {
  const content: Json[] = [];
  if (outcome.reasoning) content.push(reasoningBlock(secret, modelId, outcome.reasoning));
  if (outcome.kind === "text") content.push({ text: outcome.text });
  else content.push({ toolUse: { toolUseId: toolUseId(), name: outcome.toolName, input: outcome.arguments } });
  const payload = JSON.stringify({
    output: { message: { role: "assistant", content } },
    stopReason: outcome.kind === "tool_call" ? "tool_use" : "end_turn",
    usage,
    metrics: { latencyMs: 42 },
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), "x-amzn-requestid": randomBytes(16).toString("hex") });
  res.end(payload);
}

/** Bedrock pads event payloads with "p" (random length) so sizes do not leak token lengths. */
function padding(): string {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from(randomBytes(1 + (randomBytes(1)[0]! % 40)), (b) => letters[b % letters.length]).join("");
}

export function encodeConverseEvent(codec: EventStreamCodec, eventType: string, payload: Json): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ ...payload, p: padding() })),
  });
}

export function encodeConverseException(codec: EventStreamCodec, exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": { type: "string", value: exceptionType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "exception" },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function respondStream(res: http.ServerResponse, modelId: string, outcome: ScenarioOutcome, usage: Json, secret: string, failMidStream: boolean): void {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frames: Uint8Array[] = [];
  const event = (type: string, payload: Json) => frames.push(encodeConverseEvent(codec, type, payload));
  event("messageStart", { role: "assistant" });
  let index = 0;
  if (outcome.reasoning) {
    for (const piece of streamPiecesOf(outcome.reasoning)) event("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { text: piece } } });
    const signature = (reasoningBlock(secret, modelId, outcome.reasoning).reasoningContent as Json).reasoningText as Json;
    if (typeof signature.signature === "string") event("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { signature: signature.signature } } });
    event("contentBlockStop", { contentBlockIndex: index });
    index++;
  }
  let failed = false;
  if (outcome.kind === "text") {
    for (const piece of streamPiecesOf(outcome.text)) {
      event("contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } });
      if (failMidStream) {
        frames.push(encodeConverseException(codec, "modelStreamErrorException", "The model stream was interrupted: an error occurred while processing the model output."));
        failed = true;
        break;
      }
    }
    if (!failed) event("contentBlockStop", { contentBlockIndex: index });
  } else {
    event("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUseId(), name: outcome.toolName } } });
    for (const piece of argumentPieces(outcome.arguments)) event("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: piece } } });
    event("contentBlockStop", { contentBlockIndex: index });
  }
  if (!failed) {
    event("messageStop", { stopReason: outcome.kind === "tool_call" ? "tool_use" : "end_turn" });
    event("metadata", { usage, metrics: { latencyMs: 42 } });
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": randomBytes(16).toString("hex") });
  // Frames go out split mid-frame (prelude apart from the rest), as TCP may deliver them.
  for (const frame of frames) {
    const cut = Math.min(7, frame.length - 1);
    res.write(frame.subarray(0, cut));
    res.write(frame.subarray(cut));
  }
  res.end();
}

// ── Server ───────────────────────────────────────────────────────────────────────────────

const PATH_PATTERN = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

export async function startMockBedrockUpstream(opts: MockBedrockOptions): Promise<MockBedrockUpstream> {
  const region = opts.region ?? "us-east-1";
  const requests: MockBedrockRequest[] = [];
  const seenPrefixes = new Set<string>();
  // The key the mock signs reasoning with: fixed per instance, unknown to clients.
  const reasoningSecret = randomBytes(32).toString("hex");

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    const rawPath = req.url ?? "/";
    const match = PATH_PATTERN.exec(rawPath.split("?")[0] ?? "");
    if (req.method !== "POST" || !match) throw new BedrockFailure(404, "UnknownOperationException", "UnknownOperationException");
    const modelId = decodeURIComponent(match[1]!);
    const operation = match[2] as "converse" | "converse-stream";
    const auth = await authenticate(req, rawPath, raw, opts, region);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = undefined;
    }
    requests.push({ operation, modelId, rawPath, headers: req.headers, body, auth });
    if (opts.models && !opts.models.includes(modelId)) throw validation("The provided model identifier is invalid.");
    validateConverseRequest(modelId, body, reasoningSecret);
    const request = body as Json;
    const outcome = outcomeFor(request);
    const lastText = textOf((request.messages as Json[]).filter((m) => m.role === "user").pop()?.content).toLowerCase();
    if (lastText.includes(BEDROCK_THROTTLE_TRIGGER)) throw new BedrockFailure(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    const usage = usageFor(request, outcome, seenPrefixes);
    if (operation === "converse-stream") respondStream(res, modelId, outcome, usage, reasoningSecret, lastText.includes(BEDROCK_STREAM_EXCEPTION_TRIGGER));
    else respondJson(res, modelId, outcome, usage, reasoningSecret);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (error instanceof BedrockFailure) sendError(res, error);
        else sendError(res, new BedrockFailure(500, "InternalServerException", `mock failure: ${String(error)}`));
      });
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
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const mock = await startMockBedrockUpstream({
    port: Number(arg("--port") ?? 9004),
    accessKeyId: arg("--access-key-id") ?? "AKIDMOCKBEDROCK",
    secretAccessKey: arg("--secret-access-key") ?? "mock-bedrock-secret",
    region: arg("--region") ?? "us-east-1",
    ...(arg("--api-key") ? { apiKey: arg("--api-key")! } : {}),
  });
  console.log(`mock Bedrock upstream on ${mock.url}`);
}
