// GET /health (liveness: the process answers) and GET /ready (readiness: config loaded
// and database reachable). /ready also exposes the snapshot version so that tests and
// operators can see a reload happen.
import type { GatewayDeps } from "../gateway-deps";
import type { RequestContext } from "./request-context";
import { sendJson } from "./respond";

export function handleHealth(ctx: RequestContext): void {
  // pid: which process answered (cluster mode: one of GATEWAY_WORKERS).
  sendJson(ctx.res, 200, { status: "ok", pid: process.pid });
}

export async function handleReady(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const snapshot = deps.snapshots.current;
  const databaseReachable = await deps.checkDatabase();
  const ready = snapshot !== null && databaseReachable;
  sendJson(ctx.res, ready ? 200 : 503, {
    status: ready ? "ready" : "not_ready",
    database: databaseReachable ? "ok" : "unreachable",
    snapshot: snapshot ? { version: snapshot.version, loadedAt: snapshot.loadedAt.toISOString() } : null,
    // Which storage the response cache chose at start (pgvector or in-process vectors).
    cache: deps.cache.backendInfo(),
  });
}

// GET /metrics: Prometheus exposition text. Unauthenticated like /health — it carries counts,
// never secrets or bodies; keep the gateway port off the public internet or filter the path
// at the load balancer when that matters.
export async function handleMetrics(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const { contentType, body } = await deps.metrics.scrape();
  ctx.res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  ctx.res.end(body);
}
