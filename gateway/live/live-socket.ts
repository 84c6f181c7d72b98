// `ws://HOST:GATEWAY_PORT/ws?token=TOKEN[&filters…]` (PRODUCT §10): the HTTP upgrade of the
// live-log socket. The token and the filters are checked before the upgrade, so a client
// with a bad one gets a plain HTTP answer with a JSON error (401 / 400), not a socket that
// closes without a reason. TOKEN is SWITCHYARD_ADMIN_TOKEN or a short-lived dashboard token
// (audience "live-logs", lib/internal-auth); its role decides what the socket may see.
//
// Once open, the client may send:
//   {"type":"subscribe","filters":{…}}  replace the filters  → {"type":"subscribed","filters":{…}}
//   {"type":"auth","token":"…"}         renew before expiry  → {"type":"authenticated","expires_at":…}
//   {"type":"ping"}                                          → {"type":"pong"}
// A dashboard token's socket is closed (4001) when the token expires without a renewal.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { AdminAuthenticator, VerifiedToken } from "../admin/admin-auth";
import { compileFilters, describeFilters, LiveFilterError, parseLiveFilters, type LiveViewer } from "./live-filters";
import type { LiveLogHub } from "./live-hub";

export const LIVE_SOCKET_PATH = "/ws";
export const TOKEN_EXPIRED_CLOSE_CODE = 4001;
const ALL_LOGS_ROLES: ReadonlySet<string> = new Set(["owner", "admin", "viewer"]);
const HEARTBEAT_MS = 30_000;
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
const STATUS_TEXT: Readonly<Record<number, string>> = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable" };

export interface LiveSocketServer {
  /** The http server's 'upgrade' listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

interface Grant {
  readonly viewer: LiveViewer;
  /** ms since the epoch; null for the admin token (no expiry). */
  readonly expiresAtMs: number | null;
}

function grantOf(token: VerifiedToken): Grant {
  if (token.kind === "admin-token") return { viewer: { kind: "all" }, expiresAtMs: null };
  const { claims } = token;
  const viewer: LiveViewer = ALL_LOGS_ROLES.has(claims.role)
    ? { kind: "all" }
    : { kind: "scoped", userId: claims.sub, teamIds: new Set(claims.role === "team_admin" ? (claims.teams ?? []) : []) };
  return { viewer, expiresAtMs: claims.exp * 1000 };
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { message, type: status === 401 ? "authentication_error" : "invalid_request_error", code } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function createLiveSocketServer(options: { hub: LiveLogHub; auth: AdminAuthenticator; log: (message: string) => void }): LiveSocketServer {
  const { hub, auth, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  const open = new Set<WebSocket>();

  function serve(ws: WebSocket, grant: Grant, filters: ReturnType<typeof compileFilters>): void {
    open.add(ws);
    const subscription = hub.attach(ws, grant.viewer, filters);
    let alive = true;
    let expiry: NodeJS.Timeout | null = null;
    const armExpiry = (atMs: number | null) => {
      if (expiry) clearTimeout(expiry);
      expiry = atMs === null ? null : setTimeout(() => ws.close(TOKEN_EXPIRED_CLOSE_CODE, "token expired"), Math.max(0, atMs - Date.now()));
    };
    armExpiry(grant.expiresAtMs);
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    const reply = (message: Record<string, unknown>) => ws.send(JSON.stringify(message));
    const replyError = (code: string, message: string) => reply({ type: "error", error: { code, message } });

    ws.on("pong", () => (alive = true));
    ws.on("error", (error) => log(`live socket error: ${error.message}`));
    ws.on("close", () => {
      open.delete(ws);
      subscription.detach();
      clearInterval(heartbeat);
      if (expiry) clearTimeout(expiry);
    });
    ws.on("message", (data, isBinary) => {
      let message: { type?: unknown; filters?: unknown; token?: unknown };
      try {
        if (isBinary) throw new Error("binary");
        message = JSON.parse(data.toString()) as typeof message;
        if (message === null || typeof message !== "object" || Array.isArray(message)) throw new Error("not an object");
      } catch {
        return replyError("invalid_message", "Messages must be JSON objects with a 'type' (subscribe, auth or ping).");
      }
      switch (message.type) {
        case "ping":
          return reply({ type: "pong" });
        case "subscribe": {
          const raw = message.filters ?? {};
          if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return replyError("invalid_filters", "'filters' must be an object.");
          try {
            const parsed = parseLiveFilters(raw as Record<string, unknown>);
            subscription.setFilters(compileFilters(parsed));
            return reply({ type: "subscribed", filters: describeFilters(parsed) });
          } catch (error) {
            if (error instanceof LiveFilterError) return replyError("invalid_filters", error.message);
            throw error;
          }
        }
        case "auth": {
          if (typeof message.token !== "string") return replyError("invalid_token", "'token' must be a string.");
          void auth.verifyToken(message.token, "live-logs").then((verified) => {
            if (!verified) return replyError("invalid_token", "Invalid, expired or wrong-audience token; the socket keeps its current grant.");
            const renewed = grantOf(verified);
            // A renewal extends the grant; it cannot widen what the socket may see.
            if (JSON.stringify(renewed.viewer, setReplacer) !== JSON.stringify(grant.viewer, setReplacer)) {
              return replyError("invalid_token", "The new token is for a different scope; open a new socket for it.");
            }
            armExpiry(renewed.expiresAtMs);
            reply({ type: "authenticated", expires_at: renewed.expiresAtMs === null ? null : new Date(renewed.expiresAtMs).toISOString() });
          });
          return;
        }
        default:
          return replyError("invalid_message", `Unknown message type '${String(message.type)}'; expected subscribe, auth or ping.`);
      }
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway");
    if (url.pathname !== LIVE_SOCKET_PATH) return rejectUpgrade(socket, 404, "not_found", `No WebSocket endpoint at ${url.pathname}; live logs are at ${LIVE_SOCKET_PATH}?token=TOKEN.`);
    const token = url.searchParams.get("token");
    if (!token) return rejectUpgrade(socket, 401, "missing_live_token", "Missing ?token=: pass SWITCHYARD_ADMIN_TOKEN or a token from the dashboard's GET /api/v1/logs/live-token.");
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) if (name !== "token") (query[name] ??= []).push(value);
    let filters;
    try {
      filters = compileFilters(parseLiveFilters(query));
    } catch (error) {
      if (error instanceof LiveFilterError) return rejectUpgrade(socket, 400, "invalid_filters", error.message);
      throw error;
    }
    const verified = await auth.verifyToken(token, "live-logs");
    if (!verified) return rejectUpgrade(socket, 401, "invalid_live_token", "Invalid, expired or wrong-audience live-log token.");
    try {
      await hub.prepare();
    } catch (error) {
      return rejectUpgrade(socket, 503, "live_logs_unavailable", (error as Error).message);
    }
    if (socket.destroyed) return;
    const grant = grantOf(verified);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, grant, filters));
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on("error", () => socket.destroy());
      upgrade(req, socket, head).catch((error: unknown) => {
        log(`live socket upgrade failed: ${(error as Error)?.stack ?? String(error)}`);
        if (!socket.destroyed) rejectUpgrade(socket, 503, "live_logs_unavailable", "The live-log socket could not be opened.");
      });
    },
    async close() {
      await hub.close();
      // Closing handshakes get a moment; a peer that does not answer is cut.
      await new Promise((resolve) => setTimeout(resolve, open.size > 0 ? 200 : 0));
      for (const ws of open) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function setReplacer(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...value].sort() : value;
}
