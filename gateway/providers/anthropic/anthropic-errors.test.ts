import { describe, expect, it } from "vitest";
import { fixtureText } from "./anthropic-fixtures.test-helpers";
import { anthropicStreamError, parseAnthropicError } from "./anthropic-errors";

describe("parseAnthropicError (recorded error bodies)", () => {
  it("maps 529 overloaded_error to a retryable upstream error keeping Anthropic's type", () => {
    const error = parseAnthropicError("anthropic", 529, fixtureText("error-overloaded.json"), null);
    expect(error).toMatchObject({ status: 529, type: "overloaded_error", source: "upstream", provider: "anthropic", retryable: true, message: "anthropic: Overloaded" });
  });

  it("keeps a 429's retry-after and marks it retryable", () => {
    const error = parseAnthropicError("anthropic", 429, fixtureText("error-rate-limit.json"), 7);
    expect(error).toMatchObject({ status: 429, type: "rate_limit_error", retryable: true, retryAfterSeconds: 7 });
    expect(error.message).toContain("would exceed the rate limit");
  });

  it("treats 5xx as retryable and 4xx validation / auth as final", () => {
    expect(parseAnthropicError("anthropic", 500, fixtureText("error-api.json"), null)).toMatchObject({ type: "api_error", retryable: true });
    expect(parseAnthropicError("anthropic", 400, fixtureText("error-invalid-request.json"), null)).toMatchObject({
      type: "invalid_request_error",
      retryable: false,
      message: "anthropic: messages.1.content.0.thinking.cache_control: Extra inputs are not permitted",
    });
    expect(parseAnthropicError("anthropic", 401, fixtureText("error-authentication.json"), null)).toMatchObject({ type: "authentication_error", retryable: false });
  });

  it("keeps a non-JSON body (a proxy's page) as the message, typed by status", () => {
    const error = parseAnthropicError("anthropic-compatible", 503, "<html>Service Unavailable</html>", null);
    expect(error).toMatchObject({ status: 503, type: "api_error", retryable: true, provider: "anthropic-compatible", message: "anthropic-compatible: <html>Service Unavailable</html>" });
    expect(parseAnthropicError("anthropic", 404, "", null)).toMatchObject({ type: "not_found_error", message: "anthropic: HTTP 404" });
  });
});

describe("anthropicStreamError", () => {
  it("derives the status from the error type of an in-stream error event", () => {
    expect(anthropicStreamError("anthropic", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toMatchObject({ status: 529, type: "overloaded_error", retryable: true, source: "upstream" });
    expect(anthropicStreamError("anthropic", { type: "error", error: { type: "invalid_request_error", message: "bad" } })).toMatchObject({ status: 400, retryable: false });
    expect(anthropicStreamError("anthropic", { type: "error" })).toMatchObject({ status: 500, type: "api_error" });
  });
});
