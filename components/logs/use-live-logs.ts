"use client";
// The logs page's connection to the gateway's live-log socket (PRODUCT §7.3, §10): fetches a
// short-lived token from GET /api/v1/logs/live-token, opens ws://…/ws?token=…&filters, and
// merges pushed start / progress / end events into the rows the server rendered. The gateway
// applies the filters and the role scoping; this only merges and orders.
//
// Renewal: the token is replaced over the open socket before it expires ({"type":"auth"}), so
// a long debugging session never drops events at a reconnect. A closed socket (gateway
// restart, network) reconnects with a fresh token and a growing delay.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiLog } from "@/lib/logs/api-shape";
import { apiData } from "@/components/data/api-client";

/** A row as pushed (status null while the request is under way) or as searched. */
export type LiveRow = Omit<ApiLog, "status"> & { status: number | null };

export type LiveState = "connecting" | "live" | "paused" | "reconnecting" | "unavailable";

export interface LiveLogFilters {
  provider?: string;
  model?: string;
  virtual_key?: string;
  team?: string;
  status?: string;
  min_latency_ms?: string;
}

interface TokenAnswer {
  token: string;
  url: string;
  expires_at: string;
}

interface LiveMessage {
  type: string;
  op?: "start" | "progress" | "end";
  log?: LiveRow;
  message?: string;
}

const MAX_ROWS = 500;
const RENEW_BEFORE_MS = 60_000;

/** Newest first by timestamp, then id (the order of GET /api/v1/logs). */
function byNewest(a: LiveRow, b: LiveRow): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Merges one event: an end always wins; a late progress never overwrites a finished row. */
export function mergeLiveEvent(rows: readonly LiveRow[], op: "start" | "progress" | "end", log: LiveRow): LiveRow[] {
  const index = rows.findIndex((row) => row.id === log.id);
  if (index < 0) return [log, ...rows].sort(byNewest).slice(0, MAX_ROWS);
  const current = rows[index]!;
  if (op !== "end" && current.status !== null) return rows as LiveRow[];
  const next = rows.slice();
  next[index] = op === "end" ? log : { ...current, ...log, status: null };
  return next;
}

export function useLiveLogs(initial: readonly LiveRow[], filters: LiveLogFilters, enabled: boolean) {
  const [rows, setRows] = useState<LiveRow[]>(() => [...initial]);
  const [state, setState] = useState<LiveState>(enabled ? "connecting" : "paused");
  const [notice, setNotice] = useState<string | null>(null);
  const [paused, setPaused] = useState(!enabled);
  // While paused, events are kept here and applied on resume (nothing is lost).
  const held = useRef<Array<{ op: "start" | "progress" | "end"; log: LiveRow }>>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const [heldCount, setHeldCount] = useState(0);
  const filterKey = JSON.stringify(filters);

  useEffect(() => setRows([...initial]), [initial]);

  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let retryDelay = 500;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let renewTimer: ReturnType<typeof setTimeout> | undefined;
    const activeFilters = JSON.parse(filterKey) as LiveLogFilters;

    const scheduleRenewal = (expiresAt: string) => {
      clearTimeout(renewTimer);
      const delay = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - RENEW_BEFORE_MS);
      renewTimer = setTimeout(async () => {
        try {
          const fresh = await apiData<TokenAnswer>("/api/v1/logs/live-token");
          if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "auth", token: fresh.token }));
          scheduleRenewal(fresh.expires_at);
        } catch {
          // The socket closes at expiry and reconnects with a new token.
        }
      }, delay);
    };

    const apply = (op: "start" | "progress" | "end", log: LiveRow) => {
      if (pausedRef.current) {
        held.current.push({ op, log });
        setHeldCount(new Set(held.current.map((event) => event.log.id)).size);
        return;
      }
      setRows((current) => mergeLiveEvent(current, op, log));
    };

    const connect = async () => {
      let answer: TokenAnswer;
      try {
        answer = await apiData<TokenAnswer>("/api/v1/logs/live-token");
      } catch (error) {
        if (stopped) return;
        setState("unavailable");
        setNotice(`Could not get a live-log token: ${(error as Error).message}`);
        retryTimer = setTimeout(connect, (retryDelay = Math.min(retryDelay * 2, 15_000)));
        return;
      }
      if (stopped) return;
      const params = new URLSearchParams({ token: answer.token });
      for (const [name, value] of Object.entries(activeFilters)) if (value) params.set(name, value);
      const ws = new WebSocket(`${answer.url}?${params.toString()}`);
      socket = ws;
      ws.onopen = () => {
        retryDelay = 500;
        setState(pausedRef.current ? "paused" : "live");
        setNotice(null);
        scheduleRenewal(answer.expires_at);
      };
      ws.onmessage = (event) => {
        let message: LiveMessage;
        try {
          message = JSON.parse(String(event.data)) as LiveMessage;
        } catch {
          return;
        }
        if (message.type === "log" && message.op && message.log) apply(message.op, message.log);
        else if (message.type === "notice" && message.message) setNotice(message.message);
      };
      ws.onclose = (event) => {
        clearTimeout(renewTimer);
        if (stopped) return;
        setState("reconnecting");
        if (event.code === 4008) setNotice("The gateway closed the live view because it fell behind; reconnecting.");
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15_000);
      };
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(renewTimer);
      socket?.close(1000, "page left");
    };
  }, [filterKey, enabled]);

  const pause = useCallback(() => {
    setPaused(true);
    setState((s) => (s === "live" ? "paused" : s));
  }, []);

  const resume = useCallback(() => {
    setPaused(false);
    const pending = held.current;
    held.current = [];
    setHeldCount(0);
    setRows((current) => pending.reduce((acc, event) => mergeLiveEvent(acc, event.op, event.log), current));
    setState((s) => (s === "paused" ? "live" : s));
  }, []);

  return { rows, state, notice, paused, heldCount, pause, resume };
}
