import { describe, expect, it } from "vitest";
import { matchGlob, matchesAnyGlob } from "./glob";

describe("matchGlob", () => {
  it.each([
    ["*", "openai/gpt-4o", true],
    ["*", "", true],
    ["gpt-4o", "gpt-4o", true],
    ["gpt-4o", "gpt-4o-mini", false],
    ["gpt-4o*", "gpt-4o-mini", true],
    ["openai/*", "openai/gpt-4o", true],
    ["openai/*", "mistral/gpt-4o", false],
    ["*/gpt-4o", "openrouter/openai/gpt-4o", true],
    ["gpt-?o", "gpt-4o", true],
    ["gpt-?o", "gpt-44o", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["gpt.4o", "gpt-4o", false],
    ["", "x", false],
  ])("%s vs %s → %s", (pattern, value, expected) => {
    expect(matchGlob(pattern, value)).toBe(expected);
  });

  it("matches any of several patterns against any of several names", () => {
    expect(matchesAnyGlob(["claude-*", "gpt-4o"], ["openai/gpt-4o", "gpt-4o"])).toBe(true);
    expect(matchesAnyGlob(["openai/*"], ["mock/gpt-4o", "gpt-4o"])).toBe(false);
    expect(matchesAnyGlob([], ["gpt-4o"])).toBe(false);
  });
});
