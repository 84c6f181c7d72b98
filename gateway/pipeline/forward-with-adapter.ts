// Step 6 through a provider adapter, for any client API: passthrough when the client's API is
// the provider's wire format and the adapter can forward bytes (PRODUCT §3.4), otherwise the
// translating forward (client → canonical → provider → canonical → client). Shared by the
// translated surfaces (handle-inference.ts) and by OpenAI chat requests routed to providers
// of another family (handle-chat-completions.ts).
import type { IncomingHttpHeaders } from "node:http";
import { GatewayError } from "../errors";
import { createTransformLog, type CanonicalRequest, type ParamTransformation } from "../formats/canonical";
import type { IngressCodec } from "../ingress/types";
import type { AdapterSelector } from "../providers/registry";
import type { ProviderAdapter } from "../providers/types";
import type { ForwardInput, ForwardResult } from "./forward-chat-completion";
import { forwardPassthrough, isPassthroughCapable } from "./forward-passthrough";
import { forwardTranslated } from "./forward-translated";

export interface AdapterForwardContext {
  readonly codec: IngressCodec;
  readonly adapterFor: (provider: AdapterSelector) => ProviderAdapter | null;
  /** False when the answer must be re-shaped even for a provider of the client's own API. */
  readonly allowPassthrough: boolean;
  /** The client's body as parsed (what passthrough forwards). */
  readonly body: Record<string, unknown>;
  /** The decoded request; a function so that a chat request is decoded only if a target needs it. */
  readonly canonical: () => CanonicalRequest;
  readonly stream: boolean;
  readonly requestType: string;
  readonly clientHeaders: IncomingHttpHeaders;
  /** Client headers forwarded as sent on passthrough (anthropic-beta). */
  readonly passthroughHeaders?: readonly string[];
  /** Where the log's param transformations go: those of the attempt that answered (or failed) last. */
  readonly transformations: ParamTransformation[];
}

export function unsupportedProvider(providerName: string, providerType: string, requestType: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: "invalid_request_error",
    code: "unsupported_request_type",
    message: `Provider '${providerName}' (type '${providerType}') cannot serve '${requestType}' requests through the gateway.`,
    source: "gateway",
    provider: providerName,
  });
}

function pickHeaders(headers: IncomingHttpHeaders, names: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names ?? []) {
    const value = headers[name];
    if (typeof value === "string") out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(",");
  }
  return out;
}

export async function forwardWithAdapter(context: AdapterForwardContext, input: ForwardInput): Promise<ForwardResult> {
  const { codec, transformations } = context;
  const provider = input.target.provider;
  const adapter = context.adapterFor(provider);
  if (!adapter) throw unsupportedProvider(provider.name, provider.type, context.requestType);
  const common = {
    res: input.res,
    codec,
    target: input.target,
    key: input.key,
    attemptNumber: input.attemptNumber,
    billing: input.billing,
    dispatchers: input.dispatchers,
    requestStartMs: input.requestStartMs,
    signal: input.signal,
    onFirstChunk: input.onFirstChunk,
    keepAliveMs: input.keepAliveMs,
  };
  if (context.allowPassthrough && adapter.wireApi === codec.api && isPassthroughCapable(adapter)) {
    transformations.length = 0;
    return forwardPassthrough({ ...common, adapter, body: context.body, stream: context.stream, forwardedHeaders: pickHeaders(context.clientHeaders, context.passthroughHeaders) });
  }
  const request = context.canonical();
  const transforms = createTransformLog();
  try {
    return await forwardTranslated({ ...common, adapter, request, clientModel: request.model, transforms });
  } finally {
    transformations.length = 0;
    transformations.push(...transforms.changes);
  }
}
