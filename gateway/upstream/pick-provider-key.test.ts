import { describe, expect, it } from "vitest";
import type { ProviderConfig, ProviderKeyConfig } from "../config/snapshot";
import { pickProviderKey } from "./pick-provider-key";
import { chatCompletionsUrl } from "./openai-compatible-providers";

const key = (name: string, weight: number, models: string[] = []): ProviderKeyConfig => ({ id: name, name, secret: `s-${name}`, weight, models });
const provider = (keys: ProviderKeyConfig[]): ProviderConfig => ({ id: "p", name: "p", type: "openai", baseUrl: null, requestTypes: [], headers: {}, models: [], enabled: true, keys });

describe("pickProviderKey", () => {
  it("picks by weight", () => {
    const p = provider([key("a", 1), key("b", 3)]);
    expect(pickProviderKey(p, "m", () => 0)?.name).toBe("a");
    expect(pickProviderKey(p, "m", () => 0.24)?.name).toBe("a");
    expect(pickProviderKey(p, "m", () => 0.26)?.name).toBe("b");
    expect(pickProviderKey(p, "m", () => 0.999)?.name).toBe("b");
  });

  it("skips keys whose model globs exclude the model, and zero weights", () => {
    const p = provider([key("gpt-only", 5, ["gpt-*"]), key("zero", 0), key("any", 1)]);
    expect(pickProviderKey(p, "claude-3", () => 0)?.name).toBe("any");
    expect(pickProviderKey(p, "gpt-4o", () => 0)?.name).toBe("gpt-only");
  });

  it("returns null without an eligible key", () => {
    expect(pickProviderKey(provider([]), "m")).toBeNull();
    expect(pickProviderKey(provider([key("x", 1, ["a"])]), "b")).toBeNull();
  });
});

describe("chatCompletionsUrl", () => {
  it("joins base_url and /chat/completions, tolerating a trailing slash", () => {
    expect(chatCompletionsUrl("openai-compatible", "http://127.0.0.1:9001/v1/")?.href).toBe("http://127.0.0.1:9001/v1/chat/completions");
    expect(chatCompletionsUrl("groq", null)?.href).toBe("https://api.groq.com/openai/v1/chat/completions");
    expect(chatCompletionsUrl("vllm", null)).toBeNull();
    expect(chatCompletionsUrl("openai-compatible", "not a url")).toBeNull();
  });
});
