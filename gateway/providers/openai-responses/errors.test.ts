import { describe, expect, it } from "vitest";
import { parseResponsesError, responsesFailure } from "./errors";
import { fixtureText } from "./fixtures.test-helpers";

describe("parseResponsesError", () => {
  it("keeps the status, type, code and param of an HTTP error, marked as the provider's", () => {
    expect(parseResponsesError("openai", 400, fixtureText("error-unknown-parameter.json"), null)).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      code: "unknown_parameter",
      param: "messages",
      source: "upstream",
      provider: "openai",
      retryable: false,
      message: "Upstream provider 'openai' returned HTTP 400: Unknown parameter: 'messages'.",
    });
    expect(parseResponsesError("openai", 429, fixtureText("error-rate-limit.json"), 2)).toMatchObject({ status: 429, type: "tokens", code: "rate_limit_exceeded", retryable: true, retryAfterSeconds: 2 });
    expect(parseResponsesError("openai", 401, fixtureText("error-invalid-api-key.json"), null)).toMatchObject({ status: 401, code: "invalid_api_key", retryable: false });
    expect(parseResponsesError("openai", 503, "upstream connect error", null)).toMatchObject({ status: 503, type: "upstream_error", retryable: true, message: expect.stringContaining("upstream connect error") });
  });

  it("maps in-stream failures by code, in the flat, nested and response.error shapes", () => {
    expect(responsesFailure("openai", { type: "error", code: "rate_limit_exceeded", message: "slow down", param: null, sequence_number: 3 })).toMatchObject({ status: 429, code: "rate_limit_exceeded", retryable: true });
    expect(responsesFailure("openai", { type: "error", error: { type: "invalid_request_error", code: "context_length_exceeded", message: "too long", param: "input" } })).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      param: "input",
      retryable: false,
    });
    expect(responsesFailure("openai", { code: "server_error", message: "boom" })).toMatchObject({ status: 502, type: "upstream_error", retryable: true, message: "Upstream provider 'openai' failed the response: boom" });
  });
});
