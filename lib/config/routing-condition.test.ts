// A routing rule whose `when` does not compile is a config error at its line, naming the
// rule, CEL's message and the position in the expression (issue 5, item 1).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error";
import { parseConfigText } from "./load";

const fixture = readFileSync(new URL("./__fixtures__/product-example.yaml", import.meta.url), "utf8");
const env = { MISTRAL_API_KEY: "mistral-secret" };

describe("routing rule conditions in a config file", () => {
  it("reports a condition that does not compile at the line of `when`", () => {
    const text = fixture.replace(`when: 'model.startsWith("claude-")'`, `when: 'modle.startsWith("claude-")'`);
    expect(text).not.toBe(fixture);
    const line = text.split("\n").findIndex((l) => l.includes("modle.startsWith")) + 1;
    let error: unknown;
    try {
      parseConfigText(text, { env, fileName: "switchyard.yaml" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`);
    expect(issues).toEqual([expect.stringMatching(new RegExp(`^switchyard\\.yaml:${line}: routing_rules\\[0\\]\\.when: rule "claude-to-devstral": invalid condition at characters 0-5: .*modle`))]);
  });

  it("accepts the example's condition and an empty one", () => {
    expect(() => parseConfigText(fixture, { env })).not.toThrow();
    expect(() => parseConfigText(fixture.replace(`when: 'model.startsWith("claude-")'`, `when: ''`), { env })).not.toThrow();
  });
});
