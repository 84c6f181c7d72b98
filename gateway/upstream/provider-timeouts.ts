// Per-provider upstream timeouts (PRODUCT §4.3), from the provider's `settings` JSON:
//   settings.timeouts = { connectMs?, firstByteMs?, streamIdleMs? }
// The admin API stores camelCase; a YAML config may say connect_ms / first_byte_ms /
// stream_idle_ms. Both spellings are read (camelCase wins when both are present), so a
// provider configured either way gets its timeouts instead of silently the defaults.
// There is deliberately no total deadline: a long, healthy stream must never be cut, only
// a silent one (stream idle).

export interface ProviderTimeouts {
  /** TCP/TLS connect. */
  readonly connectMs: number;
  /** Until the response headers (for JSON: the whole completion is computed before them). */
  readonly firstByteMs: number;
  /** Max silence between two body chunks of a response, the first one included. */
  readonly streamIdleMs: number;
}

export const DEFAULT_PROVIDER_TIMEOUTS: ProviderTimeouts = Object.freeze({ connectMs: 10_000, firstByteMs: 300_000, streamIdleMs: 120_000 });

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Unknown or invalid values fall back to the defaults: a typo in settings must not disable timeouts. */
export function providerTimeoutsFromSettings(settings: unknown): ProviderTimeouts {
  const raw = settings !== null && typeof settings === "object" ? (settings as Record<string, unknown>).timeouts : undefined;
  const t = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  return Object.freeze({
    connectMs: positiveInt(t.connectMs ?? t.connect_ms, DEFAULT_PROVIDER_TIMEOUTS.connectMs),
    firstByteMs: positiveInt(t.firstByteMs ?? t.first_byte_ms, DEFAULT_PROVIDER_TIMEOUTS.firstByteMs),
    streamIdleMs: positiveInt(t.streamIdleMs ?? t.stream_idle_ms, DEFAULT_PROVIDER_TIMEOUTS.streamIdleMs),
  });
}
