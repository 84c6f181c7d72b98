import { describe, expect, it } from "vitest";
import samples from "./__fixtures__/error-responses.json";
import { bedrockAdapter } from "./adapter";
import { bedrockError, normalizeExceptionName } from "./errors";

describe("bedrockAdapter.parseError", () => {
  it.each(samples.map((s) => [`${s.status} ${s.errorType ?? "(no type)"}`, s] as const))("maps %s", (_name, sample) => {
    const error = bedrockAdapter.parseError(sample.status, sample.body, null);
    expect(error).toMatchObject({ status: sample.expect.status, type: sample.expect.type, code: sample.expect.code, retryable: sample.expect.retryable, source: "upstream", provider: "bedrock" });
    if (sample.expect.message) expect(error.message).toBe(`bedrock: ${sample.expect.message}`);
  });

  it("keeps retry-after", () => {
    expect(bedrockAdapter.parseError(429, "{\"message\":\"slow down\"}", 7).retryAfterSeconds).toBe(7);
  });
});

describe("bedrockError (stream exceptions)", () => {
  it("takes status and retry semantics from the exception name in either spelling", () => {
    expect(bedrockError({ name: "throttlingException", message: "x" })).toMatchObject({ status: 429, code: "ThrottlingException", retryable: true });
    expect(bedrockError({ name: "modelStreamErrorException", message: "x" })).toMatchObject({ status: 424, retryable: true });
    expect(bedrockError({ name: "validationException", message: "x" })).toMatchObject({ status: 400, retryable: false });
    expect(bedrockError({ name: "SomethingNewException", message: "x" })).toMatchObject({ status: 502, type: "server_error", retryable: true });
    expect(normalizeExceptionName("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")).toBe("ThrottlingException");
  });
});
