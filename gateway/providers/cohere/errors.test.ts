import { describe, expect, it } from "vitest";
import samples from "./__fixtures__/error-responses.json";
import { cohereAdapter } from "./adapter";

describe("cohereAdapter.parseError", () => {
  it.each(samples.map((s) => [s.status, s] as const))("maps %i", (_status, sample) => {
    const error = cohereAdapter.parseError(sample.status, sample.body, 3);
    expect(error).toMatchObject({ status: sample.status, type: sample.expect.type, retryable: sample.expect.retryable, source: "upstream", provider: "cohere", retryAfterSeconds: 3 });
    if (sample.expect.message) expect(error.message).toBe(`cohere: ${sample.expect.message}`);
  });
});
