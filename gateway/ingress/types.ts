// An ingress codec: one client API family (PRODUCT §2) to and from the canonical model.
// Pure functions, no I/O: the pipeline (gateway/pipeline/handle-inference.ts) reads the
// body, calls `decode`, and writes whatever `encode*` returns.
import type { GatewayError } from "../errors";
import type { SseEvent } from "../transport/sse";
import type { CanonicalRequest, CanonicalResponse, CanonicalStreamEvent, ClientApi } from "../formats/canonical";

/** What the decoder needs besides the body: the route's own parameters. */
export interface DecodeContext {
  /** Gemini carries the model and stream-ness in the path (`models/{model}:streamGenerateContent`). */
  readonly pathModel?: string;
  readonly pathStream?: boolean;
}

/** An SSE frame to write: `event:` is set for families that use it (Anthropic, Responses). */
export type OutgoingSseFrame = Pick<SseEvent, "event" | "data">;

export interface StreamEncoder {
  /** Frames for one canonical event, in order (may be none, e.g. a usage update buffered for the end). */
  encode(event: CanonicalStreamEvent): OutgoingSseFrame[];
  /**
   * Frames to close the stream if the upstream ended without `message_stop` (cut short): a
   * client SDK must see a well-formed end or an error, never a silent truncation.
   */
  finish(): OutgoingSseFrame[];
}

export interface EncodedError {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IngressCodec {
  readonly api: ClientApi;
  /**
   * Validates and converts the client's parsed JSON body. Throws a GatewayError (400,
   * invalid_request_error, naming the field) for anything malformed — never a TypeError.
   */
  decodeRequest(body: Record<string, unknown>, ctx: DecodeContext): CanonicalRequest;
  /** The client's JSON response body. `model` is what the client asked for unless routing says otherwise. */
  encodeResponse(response: CanonicalResponse, model: string): unknown;
  /**
   * A fresh per-stream state machine (STYLE §3: typed stream state, no module state). The
   * decoded request tells what the client asked of its stream (OpenAI's usage chunk).
   */
  createStreamEncoder(model: string, request: CanonicalRequest): StreamEncoder;
  /** Error as a JSON response in this family's shape (PRODUCT §2.6). */
  encodeError(error: GatewayError): EncodedError;
  /** Error as the final frame(s) of a stream that already started. */
  encodeStreamError(error: GatewayError): OutgoingSseFrame[];
}
