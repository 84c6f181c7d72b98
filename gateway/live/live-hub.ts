// The live-log hub of one gateway process: the sockets connected here, what each may see and
// asked for, and — with REDIS_URL — the bridge that makes every replica's events reach every
// replica's sockets (PRODUCT §7.3).
//
// Cost on the request path: with nobody watching anywhere, start/progress events are not even
// built; an end event is built only then too. Watching is known locally (sockets here) and,
// across replicas, from Redis: a replica subscribes to the events channel only while it has
// sockets (and for a linger after the last one), publishers ask Redis how many replicas are
// subscribed every few seconds, and a replica that starts listening announces itself on a
// presence channel so publishers start at once rather than at their next poll.
//
// A socket that cannot keep up (more than maxBufferedBytes waiting to be written) is sent a
// notice and closed: one slow browser must never hold events in the gateway's memory.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { RequestLogRecord, RequestLogSink } from "../logs/request-log-record";
import type { RequestTrace } from "../pipeline/request-trace";
import { mayView, type CompiledFilters, type LiveViewer } from "./live-filters";
import { endEvent, inFlightEvent, type InFlightView, type LiveEvent, type LiveEventMeta } from "./live-log-event";

/** What the hub needs of a connected socket (a `ws` WebSocket in production). */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(message: string): void;
  close(code: number, reason: string): void;
}

export interface LiveSubscription {
  setFilters(filters: CompiledFilters): void;
  readonly filters: CompiledFilters;
  /** Removes the socket (it closed). */
  detach(): void;
}

/** What the pipeline calls; every method is cheap and never throws. */
export interface LiveLogPublisher {
  /** The request was routed (its first target is known). */
  started(trace: RequestTrace, target: { provider: string; model: string } | null): void;
  /** The first chunk of a stream was relayed; progress is read from `view` until the request ends. */
  streaming(trace: RequestTrace, view: () => InFlightView): void;
}

export interface LiveHubOptions {
  readonly redisUrl: string | null;
  /** Channel prefix (tests isolate themselves with a unique one). */
  readonly channelPrefix?: string;
  readonly maxBufferedBytes?: number;
  readonly progressIntervalMs?: number;
  /** Patterns redacted from error messages, as for captured bodies. */
  readonly redactPatterns: readonly RegExp[];
  readonly log: (message: string) => void;
}

export const SLOW_CONSUMER_CLOSE_CODE = 4008;
const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEFAULT_PROGRESS_INTERVAL_MS = 1_000;
const LISTENER_POLL_MS = 3_000;
const UNSUBSCRIBE_LINGER_MS = 30_000;

interface Subscriber {
  readonly socket: LiveSocket;
  readonly viewer: LiveViewer;
  filters: CompiledFilters;
}

interface Streaming {
  readonly trace: RequestTrace;
  readonly view: () => InFlightView;
}

interface Envelope {
  /** Origin replica (its own events come back through Redis and are skipped). */
  o: string;
  m: LiveEventMeta;
  s: string;
}

export class LiveLogHub implements LiveLogPublisher {
  private readonly subscribers = new Set<Subscriber>();
  private readonly streams = new Map<string, Streaming>();
  private readonly replicaId = randomUUID();
  private readonly maxBufferedBytes: number;
  private readonly progressIntervalMs: number;
  private readonly bridge: RedisBridge | null;
  private progressTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: LiveHubOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.bridge = options.redisUrl
      ? new RedisBridge(options.redisUrl, options.channelPrefix ?? "sy:", this.replicaId, options.log, (meta, message) => this.deliver(meta, message))
      : null;
  }

  /** Someone, here or on another replica, may want events. */
  get watched(): boolean {
    return this.subscribers.size > 0 || (this.bridge?.remoteListeners ?? false);
  }

  get socketCount(): number {
    return this.subscribers.size;
  }

  /** Resolves once events of every replica will reach a socket attached after it (Redis subscribed). */
  async prepare(): Promise<void> {
    await this.bridge?.listen();
  }

  attach(socket: LiveSocket, viewer: LiveViewer, filters: CompiledFilters): LiveSubscription {
    const subscriber: Subscriber = { socket, viewer, filters };
    this.subscribers.add(subscriber);
    this.bridge?.localSocketsChanged(this.subscribers.size);
    return {
      get filters() {
        return subscriber.filters;
      },
      setFilters: (next) => (subscriber.filters = next),
      detach: () => {
        if (this.subscribers.delete(subscriber)) this.bridge?.localSocketsChanged(this.subscribers.size);
      },
    };
  }

  started(trace: RequestTrace, target: { provider: string; model: string } | null): void {
    if (!this.watched) return;
    this.publish(inFlightEvent("start", trace, { provider: target?.provider ?? null, model: target?.model ?? null, outputTokens: 0 }, elapsed(trace)));
  }

  streaming(trace: RequestTrace, view: () => InFlightView): void {
    // Registered even while nobody watches, so a socket opened mid-stream gets its progress.
    this.streams.set(trace.id, { trace, view });
    if (this.watched) this.publishProgress(trace, view);
    this.progressTimer ??= setInterval(() => this.tickProgress(), this.progressIntervalMs).unref();
  }

  /** Wraps the log sink: every queued record is the `end` of its request. */
  observingSink(sink: RequestLogSink): RequestLogSink {
    return {
      enqueue: (record: RequestLogRecord) => {
        sink.enqueue(record);
        if (this.streams.delete(record.id) && this.streams.size === 0) this.stopProgressTimer();
        if (!this.watched) return;
        try {
          this.publish(endEvent(record, this.options.redactPatterns));
        } catch (error) {
          this.options.log(`live logs: could not publish ${record.id}: ${(error as Error)?.message ?? String(error)}`);
        }
      },
    };
  }

  async close(): Promise<void> {
    this.stopProgressTimer();
    for (const subscriber of this.subscribers) subscriber.socket.close(1001, "gateway shutting down");
    this.subscribers.clear();
    await this.bridge?.close();
  }

  private stopProgressTimer(): void {
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.progressTimer = null;
  }

  private tickProgress(): void {
    if (this.streams.size === 0) return this.stopProgressTimer();
    if (!this.watched) return;
    for (const { trace, view } of this.streams.values()) this.publishProgress(trace, view);
  }

  private publishProgress(trace: RequestTrace, view: () => InFlightView): void {
    try {
      this.publish(inFlightEvent("progress", trace, view(), elapsed(trace)));
    } catch (error) {
      this.options.log(`live logs: progress of ${trace.id} failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private publish(event: LiveEvent): void {
    this.deliver(event.meta, event.message);
    this.bridge?.publish(event);
  }

  private deliver(meta: LiveEventMeta, message: string): void {
    for (const subscriber of this.subscribers) {
      if (!mayView(subscriber.viewer, meta) || !subscriber.filters.matches(meta)) continue;
      if (subscriber.socket.bufferedAmount > this.maxBufferedBytes) {
        this.dropSlow(subscriber);
        continue;
      }
      subscriber.socket.send(message);
    }
  }

  private dropSlow(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    this.bridge?.localSocketsChanged(this.subscribers.size);
    subscriber.socket.send(JSON.stringify({
      type: "notice",
      code: "slow_consumer",
      message: `This socket fell more than ${this.maxBufferedBytes} bytes behind and was closed; reconnect (with narrower filters) to resume.`,
    }));
    subscriber.socket.close(SLOW_CONSUMER_CLOSE_CODE, "slow consumer");
  }
}

function elapsed(trace: RequestTrace): number {
  return Math.round(performance.now() - trace.startedAtMs);
}

/** Redis pub/sub between replicas: one publishing and one subscribed connection. */
class RedisBridge {
  remoteListeners = false;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly eventsChannel: string;
  private readonly presenceChannel: string;
  private listening: Promise<void> | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private readonly pollTimer: NodeJS.Timeout;
  private lastErrorLogMs = 0;
  private presenceSeenMs = -Infinity;

  constructor(
    url: string,
    prefix: string,
    private readonly replicaId: string,
    private readonly log: (message: string) => void,
    private readonly onRemote: (meta: LiveEventMeta, message: string) => void,
  ) {
    this.eventsChannel = `${prefix}live:events`;
    this.presenceChannel = `${prefix}live:presence`;
    // No offline queue on the publisher: while Redis is away, events are dropped (live logs
    // are a view; the durable record is the database) instead of piling up in memory.
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 200, 5_000) });
    this.subscriber = new Redis(url, { retryStrategy: (n) => Math.min(n * 200, 5_000) });
    this.publisher.on("error", (error: Error) => this.logError(error));
    this.subscriber.on("error", (error: Error) => this.logError(error));
    this.subscriber.on("message", (channel: string, text: string) => this.receive(channel, text));
    this.subscriber.subscribe(this.presenceChannel).catch((error: Error) => this.logError(error));
    this.pollTimer = setInterval(() => void this.pollListeners(), LISTENER_POLL_MS).unref();
    void this.pollListeners();
  }

  listen(): Promise<void> {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.listening ??= this.subscriber
      .subscribe(this.eventsChannel)
      .then(() => this.publisher.publish(this.presenceChannel, this.replicaId))
      .then(() => undefined)
      .catch((error: Error) => {
        this.listening = null;
        throw new Error(`live logs: could not subscribe to Redis: ${error.message}`);
      });
    return this.listening;
  }

  localSocketsChanged(count: number): void {
    if (count > 0) {
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
      return;
    }
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      this.listening = null;
      this.subscriber.unsubscribe(this.eventsChannel).catch((error: Error) => this.logError(error));
    }, UNSUBSCRIBE_LINGER_MS).unref();
  }

  publish(event: LiveEvent): void {
    if (!this.remoteListeners || this.publisher.status !== "ready") return;
    const envelope: Envelope = { o: this.replicaId, m: event.meta, s: event.message };
    this.publisher.publish(this.eventsChannel, JSON.stringify(envelope)).catch((error: Error) => this.logError(error));
  }

  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  private receive(channel: string, text: string): void {
    if (channel === this.presenceChannel) {
      if (text !== this.replicaId) {
        this.remoteListeners = true;
        this.presenceSeenMs = performance.now();
      }
      return;
    }
    if (channel !== this.eventsChannel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    if (envelope.o === this.replicaId || typeof envelope.s !== "string" || !envelope.m) return;
    this.onRemote(envelope.m, envelope.s);
  }

  private async pollListeners(): Promise<void> {
    if (this.publisher.status !== "ready") return;
    const askedMs = performance.now();
    try {
      const reply = (await this.publisher.pubsub("NUMSUB", this.eventsChannel)) as [string, number | string];
      const subscribed = Number(reply[1] ?? 0);
      // An announcement that arrived while we asked is newer than the count we were given.
      if (this.presenceSeenMs >= askedMs) return;
      this.remoteListeners = subscribed - (this.listening ? 1 : 0) > 0;
    } catch (error) {
      this.logError(error as Error);
    }
  }

  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLogMs < 30_000) return;
    this.lastErrorLogMs = now;
    this.log(`live logs redis: ${error.message}`);
  }
}
