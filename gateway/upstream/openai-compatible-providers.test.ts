import { describe, expect, it } from "vitest";
import { chatCompletionsUrl } from "./openai-compatible-providers";

describe("chatCompletionsUrl", () => {
  it("joins base_url and /chat/completions, tolerating a trailing slash", () => {
    expect(chatCompletionsUrl("openai-compatible", "http://127.0.0.1:9001/v1/")?.href).toBe("http://127.0.0.1:9001/v1/chat/completions");
    expect(chatCompletionsUrl("groq", null)?.href).toBe("https://api.groq.com/openai/v1/chat/completions");
    expect(chatCompletionsUrl("vllm", null)).toBeNull();
    expect(chatCompletionsUrl("openai-compatible", "not a url")).toBeNull();
  });
});
