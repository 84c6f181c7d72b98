import { describe, expect, it } from "vitest";
import { DEFAULT_PROVIDER_TIMEOUTS, providerTimeoutsFromSettings } from "./provider-timeouts";

describe("providerTimeoutsFromSettings", () => {
  it("reads the admin API's camelCase keys", () => {
    expect(providerTimeoutsFromSettings({ timeouts: { connectMs: 1_000, firstByteMs: 2_000, streamIdleMs: 3_000 } })).toEqual({ connectMs: 1_000, firstByteMs: 2_000, streamIdleMs: 3_000 });
  });

  it("reads a YAML config's snake_case keys", () => {
    expect(providerTimeoutsFromSettings({ timeouts: { connect_ms: 1_500, first_byte_ms: 2_500, stream_idle_ms: 3_500 } })).toEqual({ connectMs: 1_500, firstByteMs: 2_500, streamIdleMs: 3_500 });
  });

  it("prefers camelCase when both spellings are present, and mixes per field", () => {
    expect(providerTimeoutsFromSettings({ timeouts: { connectMs: 1_000, connect_ms: 9_000, stream_idle_ms: 4_000 } })).toEqual({
      connectMs: 1_000,
      firstByteMs: DEFAULT_PROVIDER_TIMEOUTS.firstByteMs,
      streamIdleMs: 4_000,
    });
  });

  it("falls back to the defaults for missing, invalid or non-object settings", () => {
    expect(providerTimeoutsFromSettings(null)).toEqual(DEFAULT_PROVIDER_TIMEOUTS);
    expect(providerTimeoutsFromSettings({ timeouts: "fast" })).toEqual(DEFAULT_PROVIDER_TIMEOUTS);
    expect(providerTimeoutsFromSettings({ timeouts: { connect_ms: -5, first_byte_ms: 1.5, stream_idle_ms: "10" } })).toEqual(DEFAULT_PROVIDER_TIMEOUTS);
  });
});
