// Postgres LISTEN on a dedicated connection, reconnecting with backoff. The dashboard (and
// `npm run config`) sends NOTIFY config_changed after every change; this is what makes edits
// visible to every gateway replica within milliseconds. The periodic reload in SnapshotStore
// covers notifications lost while this connection was down. The same listener serves other
// channels (governance's budget_reset).
import pg from "pg";

export const CONFIG_CHANNEL = "config_changed";

export interface NotificationListener {
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface ListenerOptions {
  databaseUrl: string;
  onChange: () => void;
  log: (message: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export function listenForConfigChanges(opts: ListenerOptions): NotificationListener {
  return listenForNotifications({
    databaseUrl: opts.databaseUrl,
    channels: [CONFIG_CHANNEL],
    label: "config listener",
    onNotification: () => opts.onChange(),
    // Anything may have changed while we were not listening.
    onConnected: () => opts.onChange(),
    log: opts.log,
    ...(opts.initialBackoffMs === undefined ? {} : { initialBackoffMs: opts.initialBackoffMs }),
    ...(opts.maxBackoffMs === undefined ? {} : { maxBackoffMs: opts.maxBackoffMs }),
  });
}

export interface NotificationListenerOptions {
  databaseUrl: string;
  channels: readonly string[];
  /** Prefix of log lines, e.g. "config listener". */
  label: string;
  onNotification: (channel: string, payload: string) => void;
  /** After every (re)connect: a chance to catch up on notifications missed meanwhile. */
  onConnected?: () => void;
  log: (message: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export function listenForNotifications(opts: NotificationListenerOptions): NotificationListener {
  const initialBackoff = opts.initialBackoffMs ?? 250;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let backoff = initialBackoff;
  let retryTimer: NodeJS.Timeout | null = null;

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, backoff);
    retryTimer.unref();
    backoff = Math.min(backoff * 2, maxBackoff);
  }

  function onLost(reason: string): void {
    if (!client) return;
    const lost = client;
    client = null;
    connected = false;
    lost.removeAllListeners();
    // Swallow errors from the dead client; we are replacing it.
    lost.on("error", () => {});
    void lost.end().catch(() => {});
    if (!closed) {
      opts.log(`${opts.label}: connection lost (${reason}); reconnecting in ${backoff} ms`);
      scheduleReconnect();
    }
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: opts.databaseUrl, keepAlive: true });
    client = next;
    next.on("error", (error) => onLost(error.message));
    next.on("end", () => onLost("connection ended"));
    next.on("notification", (message) => {
      if (opts.channels.includes(message.channel)) opts.onNotification(message.channel, message.payload ?? "");
    });
    try {
      await next.connect();
      for (const channel of opts.channels) await next.query(`LISTEN ${channel}`);
      if (closed || client !== next) return;
      connected = true;
      backoff = initialBackoff;
      opts.onConnected?.();
    } catch (error) {
      if (client === next) onLost((error as Error).message);
    }
  }

  void connect();

  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      connected = false;
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
