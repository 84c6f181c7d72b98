// Relays one playground request to the gateway's POST /v1/chat/completions and streams the
// answer back as it arrives. node:http rather than fetch because streamed answers carry the
// billed cost as an HTTP trailer (x-switchyard-cost-usd), which fetch cannot read; the
// relay hands the trailers to the browser as one extra SSE event at the end of the stream
// (`event: switchyard-trailers`), the only place a page script can still see them.
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { PLAYGROUND_TRAILERS_EVENT } from "@/components/playground/playground-protocol";

const CONNECT_TIMEOUT_MS = 10_000;

/** Response headers passed through to the browser; hop-by-hop and cookies never are. */
function forwardedHeaders(source: http.IncomingHttpHeaders): Headers {
  const headers = new Headers({ "cache-control": "no-store" });
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (name === "content-type" || name === "retry-after" || name === "x-request-id" || name.startsWith("x-switchyard-") || name.startsWith("x-ratelimit-")) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
  }
  return headers;
}

function trailersEvent(trailers: NodeJS.Dict<string>): Uint8Array | null {
  const picked = Object.fromEntries(Object.entries(trailers).filter(([name, value]) => name.startsWith("x-switchyard-") && value !== undefined));
  if (Object.keys(picked).length === 0) return null;
  return new TextEncoder().encode(`event: ${PLAYGROUND_TRAILERS_EVENT}\ndata: ${JSON.stringify(picked)}\n\n`);
}

function unreachable(baseUrl: string, detail: string): Response {
  return Response.json(
    { error: { code: "gateway_unreachable", message: `The gateway at ${baseUrl} did not answer (${detail}); is it running?` } },
    { status: 502 },
  );
}

export function relayChatCompletion(options: { baseUrl: string; virtualKey: string; body: string; signal: AbortSignal }): Promise<Response> {
  const url = new URL(`${options.baseUrl}/v1/chat/completions`);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let answered = false;
    const upstream = client.request(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${options.virtualKey}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(options.body),
        },
      },
      (res) => {
        answered = true;
        const isStream = (res.headers["content-type"] ?? "").includes("text/event-stream");
        // toWeb keeps back-pressure: a slow browser slows the read from the gateway.
        const body = (Readable.toWeb(res) as ReadableStream<Uint8Array>).pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            flush(controller) {
              // 'end' has fired when the source closes, so the trailers are in.
              const event = isStream ? trailersEvent(res.trailers) : null;
              if (event) controller.enqueue(event);
            },
          }),
        );
        resolve(new Response(body, { status: res.statusCode ?? 502, headers: forwardedHeaders(res.headers) }));
      },
    );
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => {
      if (!answered) upstream.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered) resolve(unreachable(options.baseUrl, error.code ?? error.message));
    });
    // The user pressed Stop or left the page: stop the gateway's work too.
    options.signal.addEventListener("abort", () => upstream.destroy(), { once: true });
    upstream.end(options.body);
  });
}
