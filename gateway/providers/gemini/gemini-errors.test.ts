import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseGeminiError } from "./gemini-errors";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("parseGeminiError", () => {
  it("keeps a bad request a non-retryable 400 with Google's message", () => {
    expect(parseGeminiError("gemini", 400, fixture("error-unknown-field.json"), null)).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      code: "INVALID_ARGUMENT",
      retryable: false,
      source: "upstream",
      provider: "gemini",
      message: `gemini: Invalid JSON payload received. Unknown name "max_tokens" at 'generation_config': Cannot find field.`,
    });
  });

  it("reports a wrong API key (Google: 400) as the auth failure it is", () => {
    expect(parseGeminiError("gemini", 400, fixture("error-api-key-invalid.json"), null)).toMatchObject({ status: 401, type: "authentication_error", code: "API_KEY_INVALID", retryable: false });
  });

  it("makes RESOURCE_EXHAUSTED and UNAVAILABLE retryable", () => {
    expect(parseGeminiError("gemini", 429, fixture("error-resource-exhausted.json"), 27)).toMatchObject({ status: 429, type: "rate_limit_error", code: "RESOURCE_EXHAUSTED", retryable: true, retryAfterSeconds: 27 });
    expect(parseGeminiError("vertex", 503, fixture("error-unavailable.json"), null)).toMatchObject({ status: 503, type: "overloaded_error", code: "UNAVAILABLE", retryable: true, message: "vertex: The model is overloaded. Please try again later." });
  });

  it("reads the array-wrapped errors of the JSON streaming method, and keeps non-JSON bodies as text", () => {
    expect(parseGeminiError("gemini", 400, `[${fixture("error-unknown-field.json")}]`, null).message).toContain("Unknown name");
    const html = parseGeminiError("gemini", 404, "<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>", null);
    expect(html).toMatchObject({ status: 404, type: "not_found_error", retryable: false });
    expect(html.message).toContain("Error 404");
  });
});
