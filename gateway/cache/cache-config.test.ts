import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { cacheConfigFromEnv, cacheSettingsOf, DEFAULT_CACHE_CONFIG, resolveCachePolicy, type PolicyInput } from "./cache-config";

const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({ headers: {}, keyId: "k1", teamId: "t1", keySettings: {}, teamSettings: {}, ...over });

describe("cache configuration", () => {
  it("reads SWITCHYARD_CACHE_* and rejects bad values with the variable's name", () => {
    const config = cacheConfigFromEnv({ SWITCHYARD_CACHE_MODE: "semantic", SWITCHYARD_CACHE_TTL_SECONDS: "60", SWITCHYARD_CACHE_THRESHOLD: "0.9", SWITCHYARD_CACHE_EMBEDDING_PROVIDER: "openai", SWITCHYARD_CACHE_EMBEDDING_MODEL: "text-embedding-3-small" });
    expect(config).toMatchObject({ defaultMode: "semantic", ttlSeconds: 60, threshold: 0.9, embedding: { provider: "openai", model: "text-embedding-3-small" } });
    expect(cacheConfigFromEnv({})).toEqual(DEFAULT_CACHE_CONFIG);
    expect(() => cacheConfigFromEnv({ SWITCHYARD_CACHE_MODE: "always" })).toThrow(/SWITCHYARD_CACHE_MODE/);
    expect(() => cacheConfigFromEnv({ SWITCHYARD_CACHE_THRESHOLD: "1.5" })).toThrow(/SWITCHYARD_CACHE_THRESHOLD/);
    expect(() => cacheConfigFromEnv({ SWITCHYARD_CACHE_EMBEDDING_MODEL: "x" })).toThrow(/together/);
  });

  it("layers global < team < key < headers", () => {
    const config = { ...DEFAULT_CACHE_CONFIG, defaultMode: "off" as const };
    expect(resolveCachePolicy(config, input()).mode).toBe("off");
    expect(resolveCachePolicy(config, input({ teamSettings: { mode: "exact", ttl_seconds: 10 } }))).toMatchObject({ mode: "exact", ttlMs: 10_000 });
    expect(resolveCachePolicy(config, input({ teamSettings: { mode: "exact" }, keySettings: { mode: "semantic", threshold: 0.7 } }))).toMatchObject({ mode: "semantic", threshold: 0.7 });
    const headers = { "x-switchyard-cache-type": "exact", "x-switchyard-cache-ttl": "5", "x-switchyard-cache-threshold": "0.5", "x-switchyard-cache": "bypass" };
    expect(resolveCachePolicy(config, input({ headers, keySettings: { mode: "semantic" } }))).toMatchObject({ mode: "exact", ttlMs: 5000, threshold: 0.5, directive: "bypass" });
  });

  it("puts every namespace under the tenant, so a header cannot name another team's", () => {
    expect(resolveCachePolicy(DEFAULT_CACHE_CONFIG, input()).namespace).toBe("team:t1");
    expect(resolveCachePolicy(DEFAULT_CACHE_CONFIG, input({ teamId: null })).namespace).toBe("key:k1");
    expect(resolveCachePolicy(DEFAULT_CACHE_CONFIG, input({ keySettings: { scope: "key" } })).namespace).toBe("key:k1");
    expect(resolveCachePolicy(DEFAULT_CACHE_CONFIG, input({ headers: { "x-switchyard-cache-key": "team:t2" } })).namespace).toBe("team:t1/team:t2");
  });

  it("answers bad header values with a 400 naming the header", () => {
    for (const [name, value] of [["x-switchyard-cache-ttl", "1.5"], ["x-switchyard-cache-ttl", "0"], ["x-switchyard-cache-threshold", "0"], ["x-switchyard-cache-type", "both"], ["x-switchyard-cache", "refresh"], ["x-switchyard-cache-key", "a b"]]) {
      try {
        resolveCachePolicy(DEFAULT_CACHE_CONFIG, input({ headers: { [name as string]: value } }));
        expect.unreachable(`${name}: ${value} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).status).toBe(400);
        expect((error as GatewayError).param).toBe(name);
      }
    }
  });

  it("reads settings.cache once per snapshot object and ignores malformed settings", () => {
    const key = Object.freeze({ settings: { cache: { mode: "exact", ttl_seconds: 30 } } });
    expect(cacheSettingsOf(key)).toEqual({ mode: "exact", ttl_seconds: 30 });
    expect(cacheSettingsOf(key)).toBe(cacheSettingsOf(key));
    expect(cacheSettingsOf({ settings: { cache: { mode: "sometimes" } } })).toEqual({});
    expect(cacheSettingsOf({ settings: null })).toEqual({});
    expect(cacheSettingsOf(null)).toEqual({});
  });
});
