// POST /v1/embeddings and /openai/v1/embeddings (PRODUCT §2.1): authenticated, routed,
// governed and logged like chat, forwarded to OpenAI-compatible providers with only the model
// changed — `encoding_format: "base64"` included, so the float → base64 packing is the
// provider's and the bytes reach the client untouched. Other provider families have no
// embeddings adapter and answer a clear 400 naming the provider.
import { asGatewayError, GatewayError, gatewayErrors } from "../../errors";
import type { GatewayDeps } from "../../gateway-deps";
import { proxiedHeaders } from "../../http/gateway-headers";
import { readBody } from "../../http/read-body";
import { closeConnectionAfterResponse, type RequestContext } from "../../http/request-context";
import { sendError } from "../../http/respond";
import { captureBodiesIfEnabled } from "../../logs/body-capture";
import { authenticate } from "../../pipeline/authenticate";
import type { ChatRequest } from "../../pipeline/decode-chat-request";
import type { ForwardInput, ForwardResult } from "../../pipeline/forward-chat-completion";
import { sendUpstream } from "../../pipeline/forward-translated";
import { readRoutingUsage } from "../../pipeline/read-routing-usage";
import { recordRequest } from "../../pipeline/record-request";
import { relayJsonResponse } from "../../pipeline/relay-json-response";
import { parseJsonObject, requireSnapshot, traceAuthenticatedKey } from "../../pipeline/request-start";
import { unsupportedProvider } from "../../pipeline/forward-with-adapter";
import { startTrace } from "../../pipeline/request-trace";
import { planRoute } from "../../pipeline/route-request";
import { runAttempts } from "../../pipeline/run-attempts";
import { parseRetryAfter } from "../../routing/retry-policy";
import { embeddingsUrl, isOpenAICompatibleType } from "../../upstream/openai-compatible-providers";
import { upstreamHttpError } from "../../upstream/upstream-error";

const EMBEDDING_FIELDS = new Set(["model", "input", "encoding_format", "dimensions", "user"]);

function isTokenArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((v) => Number.isInteger(v) && (v as number) >= 0);
}

/** OpenAI's rules for `input`: a string, strings, a token array, or token arrays — never empty. */
function validInput(input: unknown): boolean {
  if (typeof input === "string") return input !== "";
  if (!Array.isArray(input) || input.length === 0 || input.length > 2048) return false;
  if (input.every((item) => typeof item === "string")) return input.every((item) => item !== "");
  return isTokenArray(input) || input.every(isTokenArray);
}

export function parseEmbeddingsRequest(raw: Buffer): ChatRequest {
  const body = parseJsonObject(raw);
  for (const field of Object.keys(body)) {
    if (!EMBEDDING_FIELDS.has(field)) throw gatewayErrors.invalidRequest(`Unrecognized request argument supplied: ${field}`, field);
  }
  if (typeof body.model !== "string" || body.model.trim() === "") throw gatewayErrors.invalidRequest("Missing required parameter: 'model'.", "model");
  if (!validInput(body.input)) {
    throw gatewayErrors.invalidRequest("'input' must be a non-empty string, an array of up to 2048 non-empty strings, or an array of token arrays.", "input");
  }
  if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64") {
    throw gatewayErrors.invalidRequest(`'encoding_format' must be 'float' or 'base64', got ${JSON.stringify(body.encoding_format)}.`, "encoding_format");
  }
  if (body.dimensions !== undefined && !(Number.isInteger(body.dimensions) && (body.dimensions as number) > 0)) {
    throw gatewayErrors.invalidRequest("'dimensions' must be a positive integer.", "dimensions");
  }
  if (body.user !== undefined && typeof body.user !== "string") throw gatewayErrors.invalidRequest("'user' must be a string.", "user");
  return { body, model: body.model.trim(), stream: false, estimate: { promptBytes: raw.length, maxOutputTokens: null } };
}

async function forwardEmbeddings(input: ForwardInput): Promise<ForwardResult> {
  const { provider } = input.target;
  const url = isOpenAICompatibleType(provider.type) ? embeddingsUrl(provider.type, provider.baseUrl) : null;
  if (!url) throw unsupportedProvider(provider.name, provider.type, "embeddings");
  const upstream = await sendUpstream(input, {
    url,
    method: "POST",
    headers: { ...provider.headers, "content-type": "application/json", authorization: `Bearer ${input.key.secret}` },
    body: JSON.stringify({ ...input.request.body, model: input.target.model }),
  });
  if (upstream.statusCode >= 400) {
    const retryAfterMs = parseRetryAfter(typeof upstream.headers["retry-after"] === "string" ? upstream.headers["retry-after"] : undefined, Date.now());
    throw upstreamHttpError(provider.name, upstream.statusCode, await upstream.body.text(), retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000));
  }
  const headers = proxiedHeaders({ provider: provider.name, model: input.target.model, attempts: input.attemptNumber });
  await relayJsonResponse(input.res, upstream, provider.name, headers, input.billing);
  return { status: upstream.statusCode, ttftMs: null, interrupted: null };
}

export async function handleEmbeddings(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const trace = startTrace(ctx.requestId, "openai_chat");
  trace.requestType = "embeddings";
  let bodyRead = false;
  try {
    const snapshot = requireSnapshot(deps);
    const auth = authenticate(ctx.req.headers, snapshot);
    traceAuthenticatedKey(trace, auth);
    const raw = await readBody(ctx.req, deps.maxBodyBytes);
    bodyRead = true;
    const request = parseEmbeddingsRequest(raw);
    trace.requestedModel = request.model;
    const usage = await readRoutingUsage(deps, snapshot, auth, ctx.requestId);
    const plan = planRoute(request, "embeddings", ctx.req.headers, auth, snapshot, deps.routing.view(), deps.random, usage);
    captureBodiesIfEnabled(trace, ctx.req, ctx.res, auth.key, plan.attempts[0]?.provider ?? null, () => raw, deps.bodyCapture);
    const first = plan.attempts[0];
    deps.live.started(trace, first ? { provider: first.provider.name, model: first.model } : null);
    await runAttempts({ ctx, deps, snapshot, auth, request, trace, plan, forward: forwardEmbeddings });
  } catch (thrown) {
    const error = ctx.signal.aborted ? gatewayErrors.clientClosed() : asGatewayError(thrown);
    if (!(thrown instanceof GatewayError)) deps.log(`request ${ctx.requestId}: unexpected error: ${(thrown as Error)?.stack ?? String(thrown)}`);
    trace.status = error.status;
    trace.error = error;
    if (!bodyRead) closeConnectionAfterResponse(ctx);
    const last = trace.attempts[trace.attempts.length - 1];
    sendError(ctx.res, error, last ? proxiedHeaders({ provider: last.provider, model: last.model, attempts: trace.attempts.length }) : {});
  } finally {
    recordRequest(deps.logs, trace);
  }
}
