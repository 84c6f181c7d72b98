// The gateway process: a plain node:http server over the pipeline, plus the long-lived
// pieces it needs (config snapshot, log writer, upstream dispatcher, database pools).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { env } from "../lib/env";
import { createAdminAuthenticator } from "./admin/admin-auth";
import { createAlertMonitor, webhookFromEnv, type AlertMonitor } from "./alerts/alert-monitor";
import type { WebhookTarget } from "./alerts/webhook-config";
import type { DeliveryPolicy } from "./alerts/webhook-delivery";
import { cacheConfigFromEnv, type CacheConfig } from "./cache/cache-config";
import type { Embedder } from "./cache/embedder";
import { startCache, type CacheRuntime } from "./cache/start-cache";
import { SnapshotStore } from "./config/snapshot-store";
import { asGatewayError } from "./errors";
import type { GatewayDeps } from "./gateway-deps";
import { maxBodyBytesFromEnv } from "./gateway-env";
import { DEFAULT_SSE_KEEP_ALIVE_MS } from "./transport/sse-keep-alive";
import { failModeFromEnv } from "./governance/governance-env";
import { startGovernance, type GovernanceRuntime } from "./governance/governance-runtime";
import type { FailMode } from "./governance/redis-counters";
import { HEADER_REQUEST_ID } from "./http/gateway-headers";
import type { RequestContext } from "./http/request-context";
import { sendError } from "./http/respond";
import { routeRequest } from "./http/router";
import { LiveLogHub } from "./live/live-hub";
import { createLiveSocketServer } from "./live/live-socket";
import { createGatewayMetrics } from "./metrics/gateway-metrics";
import { createRequestTracing, tracingConfigFromEnv, type TracingConfig } from "./metrics/request-tracing";
import { bodyCaptureConfigFromEnv, type BodyCaptureConfig } from "./logs/body-capture";
import { LogWriter } from "./logs/log-writer";
import { retentionDaysFromEnv, startPartitionMaintenance } from "./logs/partition-maintenance";
import { createRoutingState } from "./routing/create-routing-state";
import { createRoutingHealth } from "./routing/routing-health";
import { createUpstreamDispatchers } from "./upstream/http-dispatcher";

export interface GatewayOptions {
  databaseUrl: string;
  /** 0 = ephemeral port; the real one is returned. */
  port: number;
  host?: string;
  logFlushIntervalMs?: number;
  /** Defaults to GATEWAY_MAX_BODY_BYTES, else 10 MiB. */
  maxBodyBytes?: number;
  /** Silence on a relayed stream before a keep-alive comment is sent (default 15 s). */
  sseKeepAliveMs?: number;
  /** Periodic config reload on top of LISTEN/NOTIFY (default 30 s). */
  safetyReloadMs?: number;
  /** How long close() waits for in-flight requests (default 10 s). */
  drainTimeoutMs?: number;
  log?: (message: string) => void;
  governance?: GovernanceOptions;
  alerts?: AlertOptions;
  /** Bearer token for /admin/*; defaults to SWITCHYARD_ADMIN_TOKEN. null: static token disabled. */
  adminToken?: string | null;
  cache?: CacheOptions;
  /** Overrides SWITCHYARD_LOG_BODIES / _BODY_MAX_BYTES / _REDACT_PATTERNS. */
  bodyCapture?: BodyCaptureConfig;
  live?: LiveOptions;
  /** OpenTelemetry export; defaults to the OTEL_EXPORTER_OTLP_* variables. null: off. */
  tracing?: TracingConfig | null;
}

export interface LiveOptions {
  /** Bytes a live-log socket may fall behind before it is closed (default 4 MiB). */
  maxBufferedBytes?: number;
  /** How often streams report progress (default 1 s). */
  progressIntervalMs?: number;
}

export interface CacheOptions {
  /** Overrides of the SWITCHYARD_CACHE_* configuration. */
  config?: Partial<CacheConfig>;
  /** Replaces the configured provider embedder (tests use the mock embeddings server). */
  embedder?: Embedder | null;
}

export interface AlertOptions {
  /** Defaults to SWITCHYARD_ALERT_WEBHOOK_URL / _SECRET (then the settings table). */
  webhook?: WebhookTarget;
  delivery?: Partial<DeliveryPolicy>;
}

export interface GovernanceOptions {
  /** Shared counters; defaults to REDIS_URL. null: in-process counters even if REDIS_URL is set. */
  redisUrl?: string | null;
  /** Redis key prefix (tests use a unique one each). */
  redisKeyPrefix?: string;
  /** Defaults to SWITCHYARD_GOVERNANCE_FAIL_MODE, else "closed". */
  failMode?: FailMode;
  /** How often budget usage is written to budget_periods (default 5 s). */
  persistIntervalMs?: number;
}

export interface RunningGateway {
  port: number;
  /** Counters and budget resets, for operations and tests. */
  governance: GovernanceRuntime;
  /** Budget alerts (whenIdle() lets tests wait for deliveries). */
  alerts: AlertMonitor;
  /** Response cache (idle() lets tests wait for background writes). */
  cache: CacheRuntime["layer"];
  close(): Promise<void>;
}

async function pingDatabase(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = pool.query("SELECT 1").then(() => true, () => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const log = opts.log ?? ((message: string) => console.error(`[gateway] ${message}`));
  const maxBodyBytes = opts.maxBodyBytes ?? maxBodyBytesFromEnv();
  // Read before anything is opened: a bad value stops the start with its name.
  const envRetentionDays = retentionDaysFromEnv();
  const bodyCapture = opts.bodyCapture ?? bodyCaptureConfigFromEnv();
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 5, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle pooled connection dying (Postgres restart) emits here; without a listener it would crash the process.
  pool.on("error", (error) => log(`database pool error: ${error.message}`));
  const snapshots = new SnapshotStore({ pool, databaseUrl: opts.databaseUrl, safetyReloadMs: opts.safetyReloadMs, log });
  const dispatcher = createUpstreamDispatchers();

  try {
    await snapshots.start();
  } catch (error) {
    await Promise.allSettled([snapshots.close(), pool.end(), dispatcher.close()]);
    throw new Error(`gateway could not load its configuration: ${(error as Error).message}`);
  }
  let governance: GovernanceRuntime;
  try {
    const governanceOptions = opts.governance ?? {};
    governance = await startGovernance({
      databaseUrl: opts.databaseUrl,
      pool,
      snapshot: () => snapshots.current,
      redisUrl: governanceOptions.redisUrl === undefined ? (env.redisUrl ?? null) : governanceOptions.redisUrl,
      failMode: governanceOptions.failMode ?? failModeFromEnv(),
      log,
      ...(governanceOptions.redisKeyPrefix === undefined ? {} : { redisKeyPrefix: governanceOptions.redisKeyPrefix }),
      ...(governanceOptions.persistIntervalMs === undefined ? {} : { persistIntervalMs: governanceOptions.persistIntervalMs }),
    });
  } catch (error) {
    await Promise.allSettled([snapshots.close(), pool.end(), dispatcher.close()]);
    throw error;
  }
  // Declared before the writer so its loss hook can count; sources are read at scrape time.
  let inFlight = 0;
  const metrics = createGatewayMetrics({
    logQueueDepth: () => logs.pending,
    inFlight: () => inFlight,
    snapshotVersion: () => snapshots.current?.version ?? 0,
    providerKeys: () => {
      const providers = snapshots.current?.providersByName.values() ?? [];
      const keys: Array<{ provider: string; key: string; usable: boolean }> = [];
      for (const provider of providers) for (const key of provider.keys) keys.push({ provider: provider.name, key: key.name, usable: !routingHealth.cooldowns.isCoolingDown(key.id) });
      return keys;
    },
  });
  const logs = new LogWriter({ pool, flushIntervalMs: opts.logFlushIntervalMs, log, onDrop: (rows, reason) => metrics.countDroppedLogs(rows, reason) });
  const partitions = startPartitionMaintenance({ pool, envRetentionDays, log });
  // Not awaited: the start does not wait for DDL; close() waits for it instead.
  const firstPartitionPass = partitions.runOnce();
  const alerts = createAlertMonitor({
    pool,
    webhook: opts.alerts?.webhook ?? webhookFromEnv(),
    log,
    ...(opts.alerts?.delivery ? { delivery: opts.alerts.delivery } : {}),
  });
  const adminAuth = createAdminAuthenticator({ pool, adminToken: opts.adminToken === undefined ? env.adminToken : (opts.adminToken ?? undefined), log });
  // Loaded now so the first explain does not wait on it; a failure is logged and retried on use.
  await adminAuth.preload();

  // Key cooldowns and circuit transitions, shared by every replica when Redis is configured
  // (same Redis as the governance counters; tests' unique prefix keeps their state apart).
  let cache: CacheRuntime;
  try {
    cache = await startCache({
      config: { ...cacheConfigFromEnv(), ...opts.cache?.config },
      pool,
      databaseUrl: opts.databaseUrl,
      // Same Redis and test prefix as the governance counters.
      redisUrl: opts.governance?.redisUrl === undefined ? (env.redisUrl ?? null) : opts.governance.redisUrl,
      ...(opts.governance?.redisKeyPrefix === undefined ? {} : { redisKeyPrefix: opts.governance.redisKeyPrefix }),
      snapshot: () => snapshots.current,
      dispatchers: dispatcher,
      log,
      ...(opts.cache?.embedder === undefined ? {} : { embedder: opts.cache.embedder }),
    });
  } catch (error) {
    await Promise.allSettled([governance.close(), alerts.close(), logs.close(), snapshots.close(), pool.end(), dispatcher.close()]);
    throw error;
  }
  const routingState = createRoutingState({
    redisUrl: opts.governance?.redisUrl === undefined ? (env.redisUrl ?? null) : opts.governance.redisUrl,
    ...(opts.governance?.redisKeyPrefix === undefined ? {} : { keyPrefix: `${opts.governance.redisKeyPrefix}routing:` }),
    log,
  });
  const redisUrl = opts.governance?.redisUrl === undefined ? (env.redisUrl ?? null) : opts.governance.redisUrl;
  const live = new LiveLogHub({
    redisUrl,
    // The test prefix of the governance counters keeps parallel test files' events apart.
    ...(opts.governance?.redisKeyPrefix === undefined ? {} : { channelPrefix: opts.governance.redisKeyPrefix }),
    redactPatterns: bodyCapture.extraPatterns,
    log,
    ...opts.live,
  });
  const routingHealth = createRoutingHealth({ store: routingState });
  const tracingConfig = opts.tracing === undefined ? tracingConfigFromEnv() : opts.tracing;
  const tracing = tracingConfig ? createRequestTracing(tracingConfig, bodyCapture.extraPatterns, log) : null;
  if (tracingConfig) log(`tracing: OTLP spans to ${tracingConfig.endpoint} as ${tracingConfig.serviceName}`);
  const observed = metrics.observingSink(logs);
  const deps: GatewayDeps = {
    snapshots,
    logs: live.observingSink(tracing ? tracing.observingSink(observed) : observed),
    live,
    metrics,
    governance: governance.enforcer,
    alerts: metrics.observingBudgets(alerts),
    cache: cache.layer,
    bodyCapture,
    dispatchers: dispatcher,
    routing: routingHealth,
    random: Math.random,
    maxBodyBytes,
    sseKeepAliveMs: opts.sseKeepAliveMs ?? DEFAULT_SSE_KEEP_ALIVE_MS,
    adminAuth,
    checkDatabase: () => pingDatabase(pool, 1_000),
    log,
  };

  let onIdle: (() => void) | null = null;

  const server = http.createServer((req, res) => {
    inFlight += 1;
    const requestId = randomUUID();
    res.setHeader(HEADER_REQUEST_ID, requestId);
    const controller = new AbortController();
    res.once("close", () => {
      // Closed before we finished writing: the client went away; cancel the upstream call.
      if (!res.writableFinished) controller.abort();
    });
    const ctx: RequestContext = { requestId, req, res, path: (req.url ?? "/").split("?")[0] ?? "/", signal: controller.signal };
    routeRequest(ctx, deps)
      .catch((error: unknown) => {
        // The last line of defence: a handler bug becomes a 500, never a crashed process.
        log(`request ${requestId}: unhandled: ${(error as Error)?.stack ?? String(error)}`);
        sendError(res, asGatewayError(error));
      })
      .finally(() => {
        // Counted until the handler returns (not until the socket closes), so that a
        // drain also waits for the log record of an aborted request to be queued.
        inFlight -= 1;
        if (inFlight === 0) onIdle?.();
      });
  });
  // Longer than typical load balancer idle timeouts, so the LB closes first, not us.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const liveSockets = createLiveSocketServer({ hub: live, auth: adminAuth, log });
  server.on("upgrade", (req, socket, head) => liveSockets.handleUpgrade(req, socket, head));
  server.on("error", (error) => log(`server error: ${error.message}`));
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
  });

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    // 1. Stop accepting; idle keep-alive connections are closed right away.
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Live-log sockets are told the gateway is going away (1001) so clients reconnect elsewhere.
    await liveSockets.close();
    // 2. Let in-flight requests finish, up to the deadline.
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (onIdle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.drainTimeoutMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      if (inFlight > 0) log(`drain deadline reached with ${inFlight} requests in flight; closing them`);
    }
    server.closeAllConnections();
    await serverClosed;
    // 3. Write budget usage, let running alert deliveries record their outcome, and flush
    //    every accepted log record — all before the pool they write through ends.
    await governance.close();
    await alerts.close();
    await cache.close();
    partitions.close();
    await firstPartitionPass;
    await logs.close();
    await tracing?.close();
    await snapshots.close();
    await Promise.allSettled([pool.end(), dispatcher.close(), routingState.close()]);
  }

  return {
    port: (server.address() as AddressInfo).port,
    governance,
    alerts,
    cache: cache.layer,
    close: () => (closing ??= close()),
  };
}
