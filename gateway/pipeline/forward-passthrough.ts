// Step 6 when the client's API and the provider's wire format are the same (PRODUCT §3.4):
// the client's body goes upstream with only the model and credentials changed, and the
// answer comes back byte for byte — JSON buffered (usage is read from it), SSE relayed chunk
// by chunk while the adapter's watcher reads usage on the side. Same contract as the other
// forwards: either the response is written or a GatewayError is thrown with nothing written.
import { GatewayError, gatewayErrors } from "../errors";
import { proxiedHeaders } from "../http/gateway-headers";
import type { IngressCodec } from "../ingress/types";
import type { PassthroughCapable, ProviderAdapter } from "../providers/types";
import { parseRetryAfter } from "../routing/retry-policy";
import { encodeSseData } from "../transport/sse";
import { sendUpstream, type TranslatedForwardInput, type TranslatedForwardResult } from "./forward-translated";
import { relayJsonResponse } from "./relay-json-response";
import { relaySseStream, type RelayedStreamFamily } from "./relay-sse-stream";

export type PassthroughAdapter = ProviderAdapter & PassthroughCapable;

export function isPassthroughCapable(adapter: ProviderAdapter): adapter is PassthroughAdapter {
  return typeof (adapter as Partial<PassthroughCapable>).buildPassthroughRequest === "function";
}

export interface PassthroughForwardInput extends Omit<TranslatedForwardInput, "adapter" | "request" | "transforms" | "clientModel"> {
  adapter: PassthroughAdapter;
  codec: IngressCodec;
  /** The client's parsed body (only `model` is replaced). */
  body: Record<string, unknown>;
  stream: boolean;
  /** Client headers the provider understands as sent (e.g. anthropic-beta). */
  forwardedHeaders: Readonly<Record<string, string>>;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function forwardPassthrough(input: PassthroughForwardInput): Promise<TranslatedForwardResult> {
  const { res, codec, adapter, target, billing, signal } = input;
  const providerName = target.provider.name;
  const headers = proxiedHeaders({ provider: providerName, model: target.model, attempts: input.attemptNumber });
  const built = adapter.buildPassthroughRequest(input.body, { provider: target.provider, key: input.key, model: target.model, now: new Date() }, input.stream);
  const request = { ...built, headers: { ...input.forwardedHeaders, ...built.headers } };
  try {
    const upstream = await sendUpstream(input, request);
    if (upstream.statusCode >= 400) {
      const retryAfterMs = parseRetryAfter(header(upstream.headers, "retry-after"), Date.now());
      throw adapter.parseError(upstream.statusCode, await upstream.body.text(), retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000));
    }
    const contentType = header(upstream.headers, "content-type")?.toLowerCase() ?? "";
    if (input.stream && contentType.startsWith("text/event-stream")) {
      const family: RelayedStreamFamily = {
        createWatcher: () => adapter.createUsageWatcher(),
        interruptionFrame: (error) => codec.encodeStreamError(error).map((frame) => (frame.event === undefined ? "" : `event: ${frame.event}\n`) + encodeSseData(frame.data)).join(""),
      };
      const relayed = await relaySseStream(res, upstream, providerName, headers, billing, input.requestStartMs, signal, input.onFirstChunk, input.keepAliveMs, family);
      return { status: upstream.statusCode, ttftMs: relayed.ttftMs, interrupted: relayed.interrupted };
    }
    await relayJsonResponse(res, upstream, providerName, headers, billing, (body) => adapter.usageFromJson(body));
    return { status: upstream.statusCode, ttftMs: null, interrupted: null };
  } catch (thrown) {
    if (signal.aborted) throw gatewayErrors.clientClosed();
    throw thrown instanceof GatewayError ? thrown : gatewayErrors.upstreamBadResponse(providerName, String(thrown));
  }
}
