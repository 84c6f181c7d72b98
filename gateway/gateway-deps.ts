// What route handlers need from the running gateway, as narrow interfaces so that
// pipeline steps can be exercised without a server.
import type { AdminAuthenticator } from "./admin/admin-auth";
import type { BudgetObserver } from "./alerts/alert-monitor";
import type { CacheLayer } from "./cache/cache-layer";
import type { ConfigSnapshot } from "./config/snapshot";
import type { BodyCaptureConfig } from "./logs/body-capture";
import type { Enforcer } from "./governance/enforce";
import type { LiveLogPublisher } from "./live/live-hub";
import type { RequestLogSink } from "./logs/request-log-record";
import type { GatewayMetrics } from "./metrics/gateway-metrics";
import type { RoutingHealth } from "./routing/routing-health";
import type { RandomSource } from "./routing/weighted-pick";
import type { UpstreamDispatchers } from "./upstream/http-dispatcher";

export interface SnapshotSource {
  readonly current: ConfigSnapshot | null;
}

export interface GatewayDeps {
  snapshots: SnapshotSource;
  logs: RequestLogSink;
  /** Live-log socket events for requests under way (their end is published by `logs`). */
  live: LiveLogPublisher;
  /** Prometheus series served on GET /metrics (gateway/metrics/gateway-metrics.ts). */
  metrics: GatewayMetrics;
  /** Admits, settles and releases requests against budgets and rate limits. */
  governance: Enforcer;
  /** Budget alerts: told every budget's usage after each settle. */
  alerts: BudgetObserver;
  dispatchers: UpstreamDispatchers;
  /** Response cache (exact + semantic layers, gateway/cache). */
  cache: CacheLayer;
  /** Optional request/response bodies on the log (gateway/logs/body-capture.ts). */
  bodyCapture: BodyCaptureConfig;
  /** Key cooldowns and circuit breakers of this process. */
  routing: RoutingHealth;
  /** Weighted draws (targets, keys) and retry jitter; injectable for tests. */
  random: RandomSource;
  maxBodyBytes: number;
  /** Silence after which an SSE stream gets a `: keep-alive` comment (PRODUCT §3.5). */
  sseKeepAliveMs: number;
  /** Who may call /admin/* (admin token or dashboard-issued internal token). */
  adminAuth: AdminAuthenticator;
  /** True when the database answers (for /ready). */
  checkDatabase(): Promise<boolean>;
  log(message: string): void;
}
