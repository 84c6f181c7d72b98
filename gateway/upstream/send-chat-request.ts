// One HTTP call to an OpenAI-compatible /chat/completions endpoint through the shared
// keep-alive dispatcher. Connection-level failures become a 502 GatewayError.
import type { Dispatcher } from "undici";
import type { ProviderConfig, ProviderKeyConfig } from "../config/snapshot";
import { gatewayErrors } from "../errors";

export interface UpstreamChatCall {
  dispatcher: Dispatcher;
  provider: ProviderConfig;
  key: ProviderKeyConfig;
  url: URL;
  body: string;
  stream: boolean;
  signal: AbortSignal;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const cause = (error as Error & { cause?: unknown }).cause;
    const causeCode = cause instanceof Error ? (cause as Error & { code?: unknown }).code : undefined;
    const label = typeof code === "string" ? code : typeof causeCode === "string" ? causeCode : error.name;
    return `${label}: ${error.message}`;
  }
  return String(error);
}

export async function sendChatRequest(call: UpstreamChatCall): Promise<Dispatcher.ResponseData> {
  try {
    return await call.dispatcher.request({
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
    });
  } catch (error) {
    if (call.signal.aborted) throw gatewayErrors.clientClosed();
    throw gatewayErrors.upstreamUnreachable(call.provider.name, describeFailure(error));
  }
}

export { describeFailure as describeUpstreamFailure };
