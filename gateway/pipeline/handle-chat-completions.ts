// POST /v1/chat/completions — the life of one request, top to bottom (STYLE §1):
//   1. authenticate → 2. decode → 3. route (the chain of targets; usage read first when a
//   rule tests budget_used / tokens_used / requests_used)
//   → for each attempt: 4. authorize → 5. govern (reserve) → 6. forward → 7. settle (and
//   report budget usage to the alert monitor) → 8. record
// Steps 4–7 live in run-attempts.ts, which also decides between attempts (fallback, retry
// with backoff, key cooldowns, circuit breakers). The cache (3b) sits between 3 and 4.
// Every failure is a GatewayError rendered in the OpenAI error shape; nothing escapes.
import { consultCache } from "../cache/cache-step";
import { asGatewayError, GatewayError, gatewayErrors } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import { proxiedHeaders } from "../http/gateway-headers";
import { closeConnectionAfterResponse, type RequestContext } from "../http/request-context";
import { sendError } from "../http/respond";
import { authenticate } from "./authenticate";
import { requireSnapshot, traceAuthenticatedKey } from "./request-start";
import { decodeChatRequest } from "./decode-chat-request";
import { captureBodiesIfEnabled } from "../logs/body-capture";
import { recordRequest } from "./record-request";
import { startTrace } from "./request-trace";
import { readRoutingUsage } from "./read-routing-usage";
import { planRoute } from "./route-request";
import { runAttempts } from "./run-attempts";
import type { CanonicalRequest, ParamTransformation } from "../formats/canonical";
import { openaiChatCodec } from "../ingress/openai-chat/openai-chat-codec";
import { adapterFor } from "../providers/registry";
import { takesChatPassthrough } from "../upstream/openai-compatible-providers";
import { forwardChatCompletion, type ForwardInput } from "./forward-chat-completion";
import { forwardWithAdapter, type AdapterForwardContext } from "./forward-with-adapter";


export async function handleChatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const trace = startTrace(ctx.requestId, "openai_chat");
  let bodyRead = false;
  const transformations: ParamTransformation[] = [];
  try {
    // The snapshot is read once: this request sees one consistent configuration.
    const snapshot = requireSnapshot(deps);

    // 1. Authenticate the virtual key (hash → snapshot lookup) before reading the body, so
    //    an anonymous client cannot make the gateway buffer and parse up to the body limit.
    const auth = authenticate(ctx.req.headers, snapshot);
    traceAuthenticatedKey(trace, auth);

    // 2. Decode: bounded body, JSON, model + messages present.
    const request = await decodeChatRequest(ctx.req, deps.maxBodyBytes);
    bodyRead = true;
    trace.requestedModel = request.model;
    trace.isStream = request.stream;
    trace.requestType = request.stream ? "chat_stream" : "chat";

    // 3. Route: matched rule (CEL, compiled per snapshot) or default resolution → the
    //    ordered chain of targets, unusable ones excluded with a reason. Rules that test
    //    budget_used / tokens_used / requests_used get them from the counters first.
    const usage = await readRoutingUsage(deps, snapshot, auth, ctx.requestId);
    const plan = planRoute(request, trace.requestType, ctx.req.headers, auth, snapshot, deps.routing.view(), deps.random, usage);
    // Armed before the cache so a replayed answer is captured like a live one.
    captureBodiesIfEnabled(trace, ctx.req, ctx.res, auth.key, plan.attempts[0]?.provider ?? null, () => JSON.stringify(request.body), deps.bodyCapture);
    const firstTarget = plan.attempts[0];
    deps.live.started(trace, firstTarget ? { provider: firstTarget.provider.name, model: firstTarget.model } : null);

    // ── 3b. Cache (gateway/cache/cache-step.ts) ─────────────────────────────────────────
    //      A hit is replayed in the client's format (cost 0, x-switchyard-cache: hit-*) and
    //      the request ends here; a miss arms a recorder on ctx.res that stores the answer
    //      once it completed cleanly.
    const cached = await consultCache({ cache: deps.cache, res: ctx.res, headers: ctx.req.headers, signal: ctx.signal, auth, body: request.body, stream: request.stream, trace, targets: plan.attempts });
    if (cached.answered) return;
    // ── end of the cache block ──────────────────────────────────────────────────────────

    // 4–7. Attempt the chain: authorize, govern, forward, settle — per target, until one
    //      answers or the retry policy gives up.
    //      OpenAI-compatible providers get the client's bytes; any other family goes through its
    //      adapter, the body decoded into the canonical model only when such a target is tried.
    let decoded: CanonicalRequest | null = null;
    const adapterContext: AdapterForwardContext = {
      codec: openaiChatCodec,
      adapterFor,
      allowPassthrough: true,
      body: request.body as Record<string, unknown>,
      canonical: () => (decoded ??= openaiChatCodec.decodeRequest(request.body as Record<string, unknown>, {})),
      stream: request.stream,
      requestType: trace.requestType,
      clientHeaders: ctx.req.headers,
      transformations,
    };
    const forward = (input: ForwardInput) => (takesChatPassthrough(input.target.provider) ? forwardChatCompletion(input) : forwardWithAdapter(adapterContext, input));
    await runAttempts({ ctx, deps, snapshot, auth, request, trace, plan, forward });
    cached.afterAnswer();
  } catch (thrown) {
    const error = ctx.signal.aborted ? gatewayErrors.clientClosed() : asGatewayError(thrown);
    if (!(thrown instanceof GatewayError)) deps.log(`request ${ctx.requestId}: unexpected error: ${(thrown as Error)?.stack ?? String(thrown)}`);
    trace.status = error.status;
    trace.error = error;
    // A body we did not read (rejected key, over the limit) would otherwise be parsed as the
    // next request on this keep-alive connection.
    if (!bodyRead) closeConnectionAfterResponse(ctx);
    const last = trace.attempts[trace.attempts.length - 1];
    const headers = last ? proxiedHeaders({ provider: last.provider, model: last.model, attempts: trace.attempts.length }) : {};
    sendError(ctx.res, error, headers);
  } finally {
    if (transformations.length > 0) trace.paramTransformations = transformations;
    // 8. Record, off the hot path (queued; the writer batches it to Postgres).
    recordRequest(deps.logs, trace);
  }
}
