import { describe, expect, it } from "vitest";
import { asGatewayError, GatewayError, gatewayErrors, toOpenAIErrorBody } from "./errors";
import { upstreamHttpError } from "./upstream/upstream-error";

describe("toOpenAIErrorBody", () => {
  it("renders the OpenAI error shape with param and code", () => {
    expect(toOpenAIErrorBody(gatewayErrors.modelNotFound("gpt-x", "no provider"))).toEqual({
      error: { message: "The model 'gpt-x' does not exist or is not available: no provider", type: "invalid_request_error", param: "model", code: "model_not_found" },
    });
  });

  it("uses null for absent param and code", () => {
    const body = toOpenAIErrorBody(new GatewayError({ status: 400, type: "invalid_request_error", message: "m", source: "gateway" }));
    expect(body.error).toEqual({ message: "m", type: "invalid_request_error", param: null, code: null });
  });
});

describe("asGatewayError", () => {
  it("keeps a GatewayError as it is", () => {
    const error = gatewayErrors.invalidApiKey();
    expect(asGatewayError(error)).toBe(error);
  });

  it("hides the details of unexpected errors behind a 500", () => {
    const error = asGatewayError(new TypeError("secret internals"));
    expect(error.status).toBe(500);
    expect(error.message).not.toContain("secret internals");
    expect(error.source).toBe("gateway");
  });
});

describe("gateway error constructors", () => {
  it("marks upstream connection failures as retryable 502s from the upstream", () => {
    const error = gatewayErrors.upstreamUnreachable("mistral", "ECONNREFUSED");
    expect(error).toMatchObject({ status: 502, source: "upstream", retryable: true, provider: "mistral" });
    expect(error.message).toContain("upstream provider 'mistral' failed");
  });

  it("marks client errors as not retryable", () => {
    expect(gatewayErrors.invalidJson("x").retryable).toBe(false);
    expect(gatewayErrors.notAllowed("x").status).toBe(403);
    expect(gatewayErrors.bodyTooLarge(10).status).toBe(413);
  });
});

describe("upstreamHttpError", () => {
  it("keeps the provider's status, type and code and attributes the message", () => {
    const error = upstreamHttpError("openai", 429, JSON.stringify({ error: { message: "Slow down", type: "requests", param: null, code: "rate_limit_exceeded" } }));
    expect(error).toMatchObject({ status: 429, type: "requests", code: "rate_limit_exceeded", source: "upstream", retryable: true });
    expect(error.message).toBe("Upstream provider 'openai' returned HTTP 429: Slow down");
  });

  it("handles string errors, non-JSON bodies and empty bodies", () => {
    expect(upstreamHttpError("p", 400, '{"error":"bad thing"}').message).toContain("bad thing");
    expect(upstreamHttpError("p", 502, "<html>Bad Gateway</html>")).toMatchObject({ type: "upstream_error", retryable: true });
    expect(upstreamHttpError("p", 404, "").message).toContain("no error message");
    expect(upstreamHttpError("p", 400, "{}").retryable).toBe(false);
  });
});
