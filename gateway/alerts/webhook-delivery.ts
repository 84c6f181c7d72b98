// One alert's webhook delivery: POST the JSON body, signed per attempt, retried with
// exponential backoff on failures that may go away (network errors, timeouts, 408, 429,
// 5xx). Other answers (4xx, redirects) are final: repeating the same request cannot change
// them. Bounded in attempts and per-attempt time, so a dead receiver costs at most
// attempts × timeout + the backoff sum (defaults: 5 × 5 s + 0.5+1+2+4 s ≈ 33 s).
import { ALERT_HEADERS, ALERT_EVENT_TYPE } from "../../lib/alerts/payload";
import { signAlertPayload } from "../../lib/alerts/signature";

export interface DeliveryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 5_000 };

export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

export interface DeliveryRequest {
  readonly url: string;
  readonly secret?: string;
  readonly alertId: string;
  /** The exact bytes sent and signed. */
  readonly body: string;
}

export interface DeliveryContext {
  readonly fetchImpl: typeof fetch;
  readonly clock: () => Date;
  readonly policy: DeliveryPolicy;
  /** Aborted on shutdown: cuts a running attempt or backoff short and ends the delivery. */
  readonly shutdown: AbortSignal;
}

const SHUTDOWN_ERROR = "gateway shut down before the webhook delivery completed";

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Delay before attempt `attempt` (2, 3, …): base × 2^(attempt − 2), capped. */
export function backoffDelayMs(policy: DeliveryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 2));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
    // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND) in cause.
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: unknown }).code;
      return `${err.message}: ${typeof code === "string" ? code : cause.message}`;
    }
    return err.message;
  }
  return String(err);
}

export function deliveryHeaders(request: DeliveryRequest, timestamp: number): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "switchyard-alerts",
    [ALERT_HEADERS.event]: ALERT_EVENT_TYPE,
    [ALERT_HEADERS.delivery]: request.alertId,
    [ALERT_HEADERS.timestamp]: String(timestamp),
  };
  if (request.secret) headers[ALERT_HEADERS.signature] = signAlertPayload(request.secret, timestamp, request.body);
  return headers;
}

export async function deliverWebhook(request: DeliveryRequest, ctx: DeliveryContext): Promise<DeliveryResult> {
  const { policy } = ctx;
  let lastError = "not attempted";
  let attempt = 0;
  while (attempt < policy.attempts) {
    attempt++;
    if (attempt > 1 && !(await sleep(backoffDelayMs(policy, attempt), ctx.shutdown))) {
      return { ok: false, attempts: attempt - 1, error: `${lastError}; ${SHUTDOWN_ERROR}` };
    }
    // A fresh timestamp per attempt: a retry after a long backoff must not arrive looking
    // stale to a receiver that enforces a replay window.
    const timestamp = Math.floor(ctx.clock().getTime() / 1000);
    try {
      const response = await ctx.fetchImpl(request.url, {
        method: "POST",
        headers: deliveryHeaders(request, timestamp),
        body: request.body,
        // A redirected POST would turn into a GET (301/302) or go somewhere the admin never
        // configured; treat it as a final failure instead.
        redirect: "manual",
        signal: AbortSignal.any([ctx.shutdown, AbortSignal.timeout(policy.timeoutMs)]),
      });
      // Drain the body so the connection can be reused; its content is irrelevant.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt };
      lastError = `HTTP ${response.status}`;
      if (!isRetryableStatus(response.status)) break;
    } catch (err) {
      if (ctx.shutdown.aborted) return { ok: false, attempts: attempt, error: SHUTDOWN_ERROR };
      lastError = describeFetchError(err, policy.timeoutMs);
    }
  }
  return { ok: false, attempts: attempt, error: `${lastError} (after ${attempt} attempt${attempt === 1 ? "" : "s"})` };
}
