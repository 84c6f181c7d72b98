// One undici Agent per gateway: it keeps a keep-alive Pool per upstream origin, so
// requests to the same provider reuse warm TCP/TLS connections.
import { Agent } from "undici";

export function createUpstreamDispatcher(): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 512,
    connect: { timeout: 10_000 },
    // Time to response headers: covers slow non-streaming completions.
    headersTimeout: 600_000,
    // Max silence between body chunks: a stalled stream fails instead of hanging forever.
    bodyTimeout: 300_000,
  });
}
