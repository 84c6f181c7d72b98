// The life of one request of a translated client API (Anthropic Messages, OpenAI Responses,
// Gemini), top to bottom (STYLE §1) — the same steps as handle-chat-completions.ts, with an
// ingress codec at both ends:
//   1. authenticate → 2. decode (codec: client JSON → canonical) → 3. route
//   → for each attempt: 4. authorize → 5. govern (reserve) → 6. forward (provider adapter:
//   canonical → upstream → canonical → codec → client) → 7. settle → 8. record
// Steps 4–7 are run-attempts.ts with forward-translated.ts as its step 6. Every failure is a
// GatewayError rendered by the codec in the client's own error shape (PRODUCT §2.6).
import { asGatewayError, GatewayError, gatewayErrors } from "../errors";
import type { CanonicalRequest, ParamTransformation } from "../formats/canonical";
import type { GatewayDeps } from "../gateway-deps";
import { proxiedHeaders } from "../http/gateway-headers";
import { readBody } from "../http/read-body";
import { closeConnectionAfterResponse, type RequestContext } from "../http/request-context";
import { sendJson } from "../http/respond";
import type { DecodeContext, IngressCodec } from "../ingress/types";
import type { AdapterSelector } from "../providers/registry";
import type { ProviderAdapter } from "../providers/types";
import { encodeSseData } from "../transport/sse";
import { authenticate } from "./authenticate";
import { parseJsonObject, requireSnapshot, traceAuthenticatedKey } from "./request-start";
import type { ChatRequest } from "./decode-chat-request";
import type { ForwardInput, ForwardResult } from "./forward-chat-completion";
import { forwardWithAdapter } from "./forward-with-adapter";
import { recordRequest } from "./record-request";
import { startTrace, type RequestType } from "./request-trace";
import { readRoutingUsage } from "./read-routing-usage";
import { planRoute } from "./route-request";
import { consultCache } from "../cache/cache-step";
import { captureBodiesIfEnabled } from "../logs/body-capture";
import { runAttempts } from "./run-attempts";

export interface InferenceRoute {
  readonly codec: IngressCodec;
  /** Request types as routing rules and provider restrictions see them. */
  readonly requestType: (stream: boolean) => RequestType;
  /** Route parameters (Gemini: model and stream-ness from the path). */
  readonly decodeContext?: (ctx: RequestContext) => DecodeContext;
  /** The adapter for a provider type; null = this provider cannot serve translated requests. */
  readonly adapterFor: (provider: AdapterSelector) => ProviderAdapter | null;
  /** Set on a route whose answers have another shape than its API's default (Gemini's JSON-array stream): keys the cache apart. */
  readonly answerFormat?: string;
  /** False on a route that must translate even to a provider of its own API (its answer is re-shaped). */
  readonly allowPassthrough?: boolean;
  /** Client headers forwarded as sent when the request passes through unchanged (anthropic-beta). */
  readonly passthroughHeaders?: readonly string[];
}

/** Renders the error in the client's format: JSON before anything was sent, a stream event after. */
function sendCodecError(ctx: RequestContext, codec: IngressCodec, error: GatewayError, headers: Record<string, string>): void {
  const { res } = ctx;
  if (res.destroyed || res.writableEnded) return;
  if (!res.headersSent) {
    const encoded = codec.encodeError(error);
    const retryAfter: Record<string, string> = error.retryAfterSeconds === null ? {} : { "retry-after": String(error.retryAfterSeconds) };
    sendJson(res, encoded.status, encoded.body, { ...headers, ...retryAfter, ...encoded.headers });
    return;
  }
  res.end(codec.encodeStreamError(error).map((frame) => (frame.event === undefined ? "" : `event: ${frame.event}\n`) + encodeSseData(frame.data)).join(""));
}

export function createInferenceHandler(route: InferenceRoute): (ctx: RequestContext, deps: GatewayDeps) => Promise<void> {
  const { codec } = route;
  return async function handleInference(ctx, deps) {
    const trace = startTrace(ctx.requestId, codec.api);
    let bodyRead = false;
    const transformations: ParamTransformation[] = [];
    try {
      const snapshot = requireSnapshot(deps);
      // 1. Authenticate before reading the body (an anonymous client cannot make us buffer it).
      const auth = authenticate(ctx.req.headers, snapshot);
      traceAuthenticatedKey(trace, auth);

      // 2. Decode: bounded body, JSON, then the codec's validation into the canonical model.
      const rawBody = await readBody(ctx.req, deps.maxBodyBytes);
      const body = parseJsonObject(rawBody);
      bodyRead = true;
      const canonical: CanonicalRequest = codec.decodeRequest(body, route.decodeContext?.(ctx) ?? {});
      trace.requestedModel = canonical.model;
      trace.isStream = canonical.stream;
      trace.requestType = route.requestType(canonical.stream);
      // Governance and routing read the client's body (messages, max tokens, params).
      const request: ChatRequest = {
        body,
        model: canonical.model,
        stream: canonical.stream,
        estimate: { promptBytes: rawBody.length, maxOutputTokens: canonical.maxTokens ?? null },
      };

      // 3. Route.
      const usage = await readRoutingUsage(deps, snapshot, auth, ctx.requestId);
      const plan = planRoute(request, trace.requestType, ctx.req.headers, auth, snapshot, deps.routing.view(), deps.random, usage);
      captureBodiesIfEnabled(trace, ctx.req, ctx.res, auth.key, plan.attempts[0]?.provider ?? null, () => rawBody, deps.bodyCapture);
      const firstTarget = plan.attempts[0];
      deps.live.started(trace, firstTarget ? { provider: firstTarget.provider.name, model: firstTarget.model } : null);

      // 4–7. Attempts, with the translating forward as step 6.
      const forward = (input: ForwardInput): Promise<ForwardResult> =>
        forwardWithAdapter(
          { codec, adapterFor: route.adapterFor, allowPassthrough: route.allowPassthrough !== false, body, canonical: () => canonical, stream: canonical.stream, requestType: trace.requestType, clientHeaders: ctx.req.headers, passthroughHeaders: route.passthroughHeaders, transformations },
          input,
        );
      // 3b. Cache (gateway/cache/cache-step.ts), as for chat: entries are keyed by client API
      //     (and answer format), so they replay only in the shape they were recorded in. Gemini
      //     names its model in the path, not the body: the key gets it from the decoded request.
      const cacheBody = body.model === undefined ? { ...body, model: canonical.model } : body;
      const cached = await consultCache({ cache: deps.cache, res: ctx.res, headers: ctx.req.headers, signal: ctx.signal, auth, body: cacheBody, stream: canonical.stream, trace, targets: plan.attempts, answerFormat: route.answerFormat });
      if (cached.answered) return;
      await runAttempts({ ctx, deps, snapshot, auth, request, trace, plan, forward });
      cached.afterAnswer();
    } catch (thrown) {
      const error = ctx.signal.aborted ? gatewayErrors.clientClosed() : asGatewayError(thrown);
      if (!(thrown instanceof GatewayError)) deps.log(`request ${ctx.requestId}: unexpected error: ${(thrown as Error)?.stack ?? String(thrown)}`);
      trace.status = error.status;
      trace.error = error;
      if (!bodyRead) closeConnectionAfterResponse(ctx);
      const last = trace.attempts[trace.attempts.length - 1];
      const headers = last ? proxiedHeaders({ provider: last.provider, model: last.model, attempts: trace.attempts.length }) : {};
      sendCodecError(ctx, codec, error, headers);
    } finally {
      trace.paramTransformations = transformations;
      // 8. Record, off the hot path.
      recordRequest(deps.logs, trace);
    }
  };
}
