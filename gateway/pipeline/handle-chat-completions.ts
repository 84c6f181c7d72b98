// POST /v1/chat/completions — the life of one request, top to bottom (STYLE §1):
//   1. decode → 2. authenticate → 3. resolve → 4. authorize → 5. govern (reserve)
//   → 6. forward → 7. settle → 8. record
// Cache and routing rules slot in between 5 and 6 in later issues.
// Every failure is a GatewayError rendered in the OpenAI error shape; nothing escapes.
import type { ConfigSnapshot } from "../config/snapshot";
import { asGatewayError, GatewayError, gatewayErrors } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import { proxiedHeaders } from "../http/gateway-headers";
import { closeConnectionAfterResponse, type RequestContext } from "../http/request-context";
import { sendError } from "../http/respond";
import { createUsageMeter } from "../usage/usage-meter";
import { authenticate } from "./authenticate";
import { authorizeModel } from "./authorize-model";
import { decodeChatRequest } from "./decode-chat-request";
import { forwardChatCompletion } from "./forward-chat-completion";
import { governRequest, type Admission } from "./govern-request";
import { recordRequest } from "./record-request";
import { startTrace, type RequestTrace } from "./request-trace";
import { resolveModel } from "./resolve-model";
import { billMeter, settleUsage } from "./settle-usage";

function requireSnapshot(deps: GatewayDeps): ConfigSnapshot {
  const snapshot = deps.snapshots.current;
  if (!snapshot) {
    throw new GatewayError({ status: 503, type: "server_error", code: "not_ready", message: "The gateway has not loaded its configuration yet.", source: "gateway", retryable: true });
  }
  return snapshot;
}

export async function handleChatCompletions(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const trace = startTrace(ctx.requestId, "openai_chat");
  // Filled by the relays as the response goes out; read by step 7 even if it never completes.
  const meter = createUsageMeter();
  let admission: Admission | null = null;
  try {
    // The snapshot is read once: this request sees one consistent configuration.
    const snapshot = requireSnapshot(deps);

    // 1. Decode: bounded body, JSON, model + messages present.
    const request = await decodeChatRequest(ctx.req, deps.maxBodyBytes);
    trace.requestedModel = request.model;
    trace.isStream = request.stream;
    trace.requestType = request.stream ? "chat_stream" : "chat";

    // 2. Authenticate the virtual key (hash → snapshot lookup).
    const auth = authenticate(ctx.req.headers, snapshot);
    Object.assign(trace, {
      virtualKeyId: auth.key.id,
      virtualKeyName: auth.key.name,
      teamId: auth.team?.id ?? null,
      teamName: auth.team?.name ?? null,
      customerId: auth.customer?.id ?? null,
      customerName: auth.customer?.name ?? null,
      userId: auth.key.userId,
      tags: auth.key.tags,
    } satisfies Partial<RequestTrace>);

    // 3. Resolve `provider/model` or a bare model to one provider.
    const target = resolveModel(request.model, snapshot, trace.requestType);
    trace.provider = target.provider.name;
    trace.model = target.model;

    // 4. Authorize: the key's provider and model allow-lists.
    authorizeModel(auth, target);

    // 5. Govern: reserve the estimated cost and tokens on every applicable limit at once.
    admission = await governRequest({ enforcer: deps.governance, snapshot, auth, target, request });
    trace.governance = admission.degraded ? "degraded" : "enforced";

    // 6. Forward and relay (JSON or SSE).
    const priced = admission;
    const result = await forwardChatCompletion({
      res: ctx.res,
      trace,
      request,
      target,
      billing: { meter, bill: () => billMeter(meter, priced) },
      dispatcher: deps.dispatcher,
      signal: ctx.signal,
    });
    trace.status = result.status;
    trace.ttftMs = result.ttftMs;
  } catch (thrown) {
    const error = ctx.signal.aborted ? gatewayErrors.clientClosed() : asGatewayError(thrown);
    if (!(thrown instanceof GatewayError)) deps.log(`request ${ctx.requestId}: unexpected error: ${(thrown as Error)?.stack ?? String(thrown)}`);
    trace.status = error.status;
    trace.error = error;
    if (error.code === "request_too_large") closeConnectionAfterResponse(ctx);
    const headers = trace.attempts.length > 0 && trace.provider && trace.model
      ? proxiedHeaders({ provider: trace.provider, model: trace.model, attempts: trace.attempts.length })
      : {};
    sendError(ctx.res, error, headers);
  } finally {
    // 7. Settle the reservation to the actual usage (partial output of a cut-short stream
    //    included), or release it when nothing reached a provider.
    if (admission) await settleUsage(deps.governance, admission, meter, trace, deps.log);
    // 8. Record, off the hot path (queued; the writer batches it to Postgres).
    recordRequest(deps.logs, trace);
  }
}
