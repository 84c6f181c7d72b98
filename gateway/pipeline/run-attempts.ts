// Steps 4–7, once per attempt, over the chain that step 3 planned:
//   4. authorize the target (the key's provider and model allow-lists)
//   5. govern: reserve on that provider/model; a provider over its own limit is skipped
//   6. pick a provider key (cooldowns) and forward, under the provider's timeouts
//   7. settle what the provider produced, or release when it produced nothing
// then, on failure, decideAfterFailure (routing/retry-policy.ts) says: next target, start
// the chain over after a backoff, or give up with this error. A failure that is the key's
// (401/403/429) first tries the same target with another key of its pool.
import { setTimeout as sleep } from "node:timers/promises";
import type { ConfigSnapshot, ProviderKeyConfig } from "../config/snapshot";
import { asGatewayError, gatewayErrors, type GatewayError } from "../errors";
import type { GatewayDeps } from "../gateway-deps";
import { providerExcludedError } from "../governance/decision-errors";
import type { RequestContext } from "../http/request-context";
import { pickProviderKey } from "../routing/key-pool";
import { decideAfterFailure, failureFromGatewayError, type AttemptFailure, type FallbackTrigger } from "../routing/retry-policy";
import { createUsageMeter, streamedOutputTokens } from "../usage/usage-meter";
import type { AuthenticatedKey } from "./authenticate";
import { authorizeModel } from "./authorize-model";
import type { ChatRequest } from "./decode-chat-request";
import { forwardChatCompletion, type ForwardInput, type ForwardResult } from "./forward-chat-completion";
import { governRequest } from "./govern-request";
import type { AttemptRecord, RequestTrace } from "./request-trace";
import { planRoute, type PlannedAttempt, type RoutePlan } from "./route-request";
import { billMeter, settleUsage } from "./settle-usage";

export interface AttemptsInput {
  ctx: RequestContext;
  deps: GatewayDeps;
  snapshot: ConfigSnapshot;
  auth: AuthenticatedKey;
  request: ChatRequest;
  trace: RequestTrace;
  plan: RoutePlan;
  /**
   * Step 6 for one attempt. Defaults to the OpenAI chat passthrough; translated client APIs
   * (handle-inference.ts) pass their own, with the same contract.
   */
  forward?: (input: ForwardInput) => Promise<ForwardResult>;
}

/** Statuses that are about the key, not the request or the upstream's health. */
const KEY_STATUSES = new Set([401, 403, 429]);
const MAX_REASON_CHARS = 300;

function reasonText(trigger: FallbackTrigger | "key_failed", error: GatewayError): string {
  return `${trigger}${error.code ? ` (${error.code})` : ""}: ${error.message}`.slice(0, MAX_REASON_CHARS);
}

/** 5xx, timeouts and resets say the upstream is sick; 4xx say nothing about its health. */
function isUnhealthy(error: GatewayError): boolean {
  return error.source === "upstream" && error.status >= 500;
}

type AttemptOutcome = { kind: "answered" } | { kind: "failed"; error: GatewayError; failure: AttemptFailure; keyId: string | null };

export async function runAttempts(input: AttemptsInput): Promise<void> {
  const { ctx, deps, snapshot, auth, request, trace } = input;
  const { resolution } = input.plan;
  let chain = input.plan.attempts;
  trace.routingRule = resolution.matchedRule?.name ?? null;
  let index = 0;
  let chainRestarts = 0;
  let lastError: GatewayError | null = null;
  let pendingReason: string | null = null;

  const record = (attempt: Omit<AttemptRecord, "reason">) => {
    trace.attempts.push({ ...attempt, ...(pendingReason !== null && trace.attempts.length > 0 ? { reason: pendingReason } : {}) });
  };

  while (index < chain.length) {
    const step = chain[index] as PlannedAttempt;
    // 4. Authorize this target; a target the key may not use is passed over, and its 403
    //    is the answer only when no other target could be tried.
    try {
      authorizeModel(auth, step);
    } catch (error) {
      lastError ??= asGatewayError(error);
      index += 1;
      continue;
    }
    const outcome = await attemptOnce(input, step, trace.attempts.length + 1, record);
    if (outcome.kind === "answered") {
      if (trace.attempts.length > 1) trace.fallbackReason = pendingReason;
      return;
    }
    const { error, failure } = outcome;
    lastError = error;
    if (ctx.signal.aborted || error.code === "client_closed") throw error;
    if (outcome.keyId !== null && KEY_STATUSES.has(error.status)) {
      // The key is cooling down now (attemptOnce recorded it): another key of the same
      // provider may well succeed, before giving up on the target.
      const sibling = pickProviderKey(step.provider, step.model, deps.routing.cooldowns, deps.random, step.providerKey);
      if (sibling && trace.attempts.length < resolution.retry.maxAttempts) {
        pendingReason = reasonText("key_failed", error);
        continue;
      }
    }
    const decision = decideAfterFailure({
      failure,
      attemptsMade: trace.attempts.length,
      hasNextTarget: index < chain.length - 1,
      chainRestarts,
      triggers: resolution.fallbackOn,
      policy: resolution.retry,
      random: deps.random,
    });
    if (decision.action === "give_up") throw error;
    pendingReason = reasonText(decision.trigger, error);
    if (decision.action === "next_target") {
      index += 1;
      continue;
    }
    // retry_chain: plan again first — cooldowns and open circuits recorded by the failed
    // attempts may leave nothing to retry, and then waiting out a retry-after is pointless.
    let replanned: RoutePlan;
    try {
      replanned = planRoute(request, trace.requestType, ctx.req.headers, auth, snapshot, deps.routing.view(), deps.random, input.plan.usage);
    } catch {
      throw error;
    }
    await sleep(decision.delayMs, undefined, { signal: ctx.signal }).catch(() => {
      throw gatewayErrors.clientClosed();
    });
    chain = replanned.attempts;
    chainRestarts += 1;
    index = 0;
  }
  throw lastError ?? gatewayErrors.modelNotFound(request.model, "no target could be tried");
}

async function attemptOnce(input: AttemptsInput, step: PlannedAttempt, attemptNumber: number, record: (attempt: Omit<AttemptRecord, "reason">) => void): Promise<AttemptOutcome> {
  const { ctx, deps, snapshot, auth, request, trace } = input;
  const providerName = step.provider.name;

  // 5. Govern on this provider/model.
  const governed = await governRequest({ enforcer: deps.governance, snapshot, auth, target: step, request });
  if (governed.kind === "excluded") {
    const error = providerExcludedError(governed.decision);
    record({ provider: providerName, model: step.model, key: "", status: error.status, latencyMs: 0, errorType: "provider_excluded", ...(error.code ? { errorCode: error.code } : {}), skipped: true });
    return { kind: "failed", error, failure: { kind: "provider_excluded", reason: governed.decision.reason }, keyId: null };
  }
  const admission = governed.admission;
  trace.governance = admission.degraded ? "degraded" : "enforced";

  // 6. Pick a key (cooling keys are skipped) and take a circuit probe slot if half-open.
  const picked = pickProviderKey(step.provider, step.model, deps.routing.cooldowns, deps.random, step.providerKey);
  const key: ProviderKeyConfig | undefined = picked ? step.provider.keys.find((k) => k.id === picked.id) : undefined;
  if (!key || !deps.routing.circuits.tryAcquire(providerName, step.model)) {
    await deps.governance.release(admission.reservation).catch(() => {});
    const error = key ? gatewayErrors.upstreamUnreachable(providerName, "circuit open") : gatewayErrors.noProviderKey(providerName);
    record({ provider: providerName, model: step.model, key: key?.name ?? "", status: error.status, latencyMs: 0, errorType: error.type, ...(error.code ? { errorCode: error.code } : {}), skipped: true });
    return { kind: "failed", error, failure: { kind: "connection_error" }, keyId: null };
  }

  const meter = createUsageMeter();
  const started = performance.now();
  let answered = false;
  try {
    const forward = input.forward ?? forwardChatCompletion;
    const result = await forward({
      res: ctx.res,
      request,
      target: step,
      key,
      attemptNumber,
      billing: { meter, bill: () => billMeter(meter, admission) },
      dispatchers: deps.dispatchers,
      keepAliveMs: deps.sseKeepAliveMs,
      requestStartMs: trace.startedAtMs,
      signal: ctx.signal,
      onFirstChunk: (ttftMs) => {
        trace.ttftMs = ttftMs;
        deps.live.streaming(trace, () => ({ provider: providerName, model: step.model, outputTokens: streamedOutputTokens(meter) }));
      },
    });
    answered = true;
    const interrupted = result.interrupted?.error ?? null;
    const status = interrupted?.status ?? result.status;
    record({ provider: providerName, model: step.model, key: key.name, status, latencyMs: Math.round(performance.now() - started), ...(interrupted ? { errorType: interrupted.type, ...(interrupted.code ? { errorCode: interrupted.code } : {}) } : {}) });
    if (interrupted) deps.routing.circuits.recordFailure(providerName, step.model);
    else deps.routing.circuits.recordSuccess(providerName, step.model);
    trace.provider = providerName;
    trace.model = step.model;
    trace.status = status;
    trace.error = interrupted;
    if (result.ttftMs !== null) trace.ttftMs = result.ttftMs;
    return { kind: "answered" };
  } catch (thrown) {
    const error = ctx.signal.aborted ? gatewayErrors.clientClosed() : asGatewayError(thrown);
    record({ provider: providerName, model: step.model, key: key.name, status: error.status, latencyMs: Math.round(performance.now() - started), errorType: error.type, ...(error.code ? { errorCode: error.code } : {}) });
    // The client may have been sent part of a stream before it went away: those are its headers.
    trace.provider = providerName;
    trace.model = step.model;
    const retryAfterMs = error.retryAfterSeconds === null ? null : error.retryAfterSeconds * 1000;
    if (error.source === "upstream") deps.routing.cooldowns.recordFailure(key.id, error.status, retryAfterMs);
    if (isUnhealthy(error)) deps.routing.circuits.recordFailure(providerName, step.model);
    else deps.routing.circuits.recordSuccess(providerName, step.model);
    return { kind: "failed", error, failure: failureFromGatewayError(error, retryAfterMs), keyId: key.id };
  } finally {
    // 7. Settle (or release) this attempt's reservation, whatever happened above.
    await settleUsage(deps, admission, meter, answered || ctx.signal.aborted, trace);
  }
}
