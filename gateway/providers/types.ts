// A provider adapter: the canonical model to and from one upstream API (PRODUCT §3.1).
// Pure converters (DESIGN: no I/O inside); the pipeline sends what `buildRequest` returns
// through the shared undici dispatcher and feeds the answer back in.
import type { ProviderConfig, ProviderKeyConfig } from "../config/snapshot";
import type { GatewayError } from "../errors";
import type { CanonicalRequest, CanonicalResponse, CanonicalStreamEvent, TransformLog, WireApi } from "../formats/canonical";
import type { TokenUsage } from "../usage/token-usage";

export interface UpstreamTarget {
  readonly provider: ProviderConfig;
  readonly key: ProviderKeyConfig;
  /** The upstream model id (after routing and aliases). */
  readonly model: string;
  /** Clock for request signing (Bedrock SigV4); injected so tests are deterministic. */
  readonly now: Date;
}

export interface UpstreamHttpRequest {
  readonly url: URL;
  readonly method: "POST" | "GET";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** Incremental stream decoding: raw upstream bytes in, canonical events out. */
export interface StreamDecoder {
  push(chunk: Uint8Array): CanonicalStreamEvent[];
  /** End of the upstream body. */
  end(): CanonicalStreamEvent[];
}

/** Reads usage (and output size for estimates) from a response relayed untouched (passthrough). */
export interface PassthroughUsageWatcher {
  push(chunk: Uint8Array): void;
  readonly usage: TokenUsage | null;
  readonly outputChars: number;
  finish(): TokenUsage | null;
}

export interface ProviderAdapter {
  /** Adapter id (lib/validation/provider-types.ts). */
  readonly id: string;
  /** The wire format spoken upstream. When it equals the client's API, passthrough applies. */
  readonly wireApi: WireApi;
  /** Canonical → upstream HTTP request. Every value changed or dropped goes to `transforms`. */
  buildRequest(request: CanonicalRequest, target: UpstreamTarget, transforms: TransformLog): UpstreamHttpRequest;
  /** A successful (2xx) JSON body → canonical. Throws GatewayError(upstream_bad_response) when malformed. */
  parseResponse(body: unknown): CanonicalResponse;
  createStreamDecoder(): StreamDecoder;
  /**
   * An error status from upstream → GatewayError (source "upstream"), keeping the provider's
   * message and mapping its type to retry semantics (429 rate_limited, 5xx server_error, ...).
   */
  parseError(status: number, bodyText: string, retryAfterSeconds: number | null): GatewayError;
}

/** Adapters whose wire format is shared with a client API may forward the client's body as is. */
export interface PassthroughCapable {
  /** Rewrites only what must change (model, auth): the body is otherwise the client's bytes. */
  buildPassthroughRequest(body: Record<string, unknown>, target: UpstreamTarget, stream: boolean): UpstreamHttpRequest;
  usageFromJson(body: unknown): TokenUsage | null;
  createUsageWatcher(): PassthroughUsageWatcher;
}
