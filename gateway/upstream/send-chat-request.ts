// One HTTP call to an OpenAI-compatible /chat/completions endpoint through the shared
// keep-alive dispatcher, under the provider's timeouts. Connection-level failures become a
// 502 GatewayError (upstream_unreachable), timeouts a 504 (upstream_timeout), so that the
// retry policy can tell them apart without reading messages (STYLE §4).
import type { Dispatcher } from "undici";
import type { ProviderConfig, ProviderKeyConfig } from "../config/snapshot";
import { gatewayErrors, type GatewayError } from "../errors";
import type { UpstreamDispatchers } from "./http-dispatcher";

export interface UpstreamChatCall {
  dispatchers: UpstreamDispatchers;
  provider: ProviderConfig;
  key: ProviderKeyConfig;
  url: URL;
  body: string;
  stream: boolean;
  signal: AbortSignal;
}

function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === "string") return code;
  const cause = (error as Error & { cause?: unknown }).cause;
  const causeCode = cause instanceof Error ? (cause as Error & { code?: unknown }).code : undefined;
  return typeof causeCode === "string" ? causeCode : undefined;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${errorCode(error) ?? error.name}: ${error.message}`;
  return String(error);
}

const TIMEOUT_PHASES: Readonly<Record<string, "connect" | "first_byte" | "stream_idle">> = {
  UND_ERR_CONNECT_TIMEOUT: "connect",
  UND_ERR_HEADERS_TIMEOUT: "first_byte",
  UND_ERR_BODY_TIMEOUT: "stream_idle",
};

/** A transport failure (not an HTTP status) as the GatewayError retry decisions read. */
export function upstreamTransportError(providerName: string, error: unknown, prefix = ""): GatewayError {
  const phase = TIMEOUT_PHASES[errorCode(error) ?? ""];
  if (phase) return gatewayErrors.upstreamTimeout(providerName, phase, `${prefix}${describeFailure(error)}`);
  return gatewayErrors.upstreamUnreachable(providerName, `${prefix}${describeFailure(error)}`);
}

export async function sendChatRequest(call: UpstreamChatCall): Promise<Dispatcher.ResponseData> {
  const { timeouts } = call.provider;
  try {
    return await call.dispatchers.forConnectTimeout(timeouts.connectMs).request({
      origin: call.url.origin,
      path: call.url.pathname + call.url.search,
      method: "POST",
      headers: {
        authorization: `Bearer ${call.key.secret}`,
        accept: call.stream ? "text/event-stream" : "application/json",
        // Provider-level headers may override auth (e.g. an `api-key` style provider).
        ...call.provider.headers,
        "content-type": "application/json",
      },
      body: call.body,
      signal: call.signal,
      headersTimeout: timeouts.firstByteMs,
      // Idle time between body chunks, not a total deadline: long streams live on.
      bodyTimeout: timeouts.streamIdleMs,
    });
  } catch (error) {
    if (call.signal.aborted) throw gatewayErrors.clientClosed();
    throw upstreamTransportError(call.provider.name, error);
  }
}

export { describeFailure as describeUpstreamFailure };
