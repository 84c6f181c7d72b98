import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error";
import { providerKeyPlaceholderVariable, substituteEnv } from "./env-substitution";
import { parseConfigText } from "./load";
import { providerKeyRefId } from "./secret-refs";

const fixture = readFileSync(new URL("./__fixtures__/product-example.yaml", import.meta.url), "utf8");
const env = { MISTRAL_API_KEY: "mistral-secret" };

/** The messages of the ConfigError that parsing `text` throws. */
function errors(text: string, options: { env?: Record<string, string>; fileName?: string } = {}): string[] {
  try {
    parseConfigText(text, { env: options.env ?? env, fileName: options.fileName });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return index + 1;
}

describe("the PRODUCT §10 example", () => {
  it("is accepted as it is", () => {
    const { document, secretRefs } = parseConfigText(fixture, { env });
    expect(document.providers?.map((p) => p.name)).toEqual(["mistral", "local-llama"]);
    expect(document.providers?.[0]?.keys?.[0]).toEqual({ name: "main", value: "mistral-secret", weight: 1 });
    expect(document.virtual_keys?.[0]?.rate_limits).toEqual([
      { requests: 60, window: "1m" },
      { tokens: 200000, window: "1h" },
    ]);
    expect(document.routing_rules?.[0]?.when).toBe('model.startsWith("claude-")');
    expect([...secretRefs]).toEqual([[providerKeyRefId("mistral", "main"), "${MISTRAL_API_KEY}"]]);
  });

  it("reports a misspelled field at its line, with a suggestion", () => {
    const text = fixture.replace("    rate_limits:\n      - { requests: 60", "    rate_limts:\n      - { requests: 60");
    const line = lineOf(text, "rate_limts:");
    expect(errors(text, { fileName: "config.yaml" })).toEqual([
      `config.yaml:${line}: virtual_keys[0].rate_limts: unknown field "rate_limts" (did you mean "rate_limits"?)`,
    ]);
  });

  it("reports `budgts` on a virtual key at the right line", () => {
    const text = fixture.replace("    models: [\"*\"]\n    budgets:", "    models: [\"*\"]\n    budgts:");
    expect(text).not.toBe(fixture);
    expect(errors(text)).toEqual([
      `config.yaml:${lineOf(text, "budgts:")}: virtual_keys[0].budgts: unknown field "budgts" (did you mean "budgets"?)`,
    ]);
  });

  it("names a missing environment variable and its line", () => {
    expect(errors(fixture, { env: {} })).toEqual([
      `config.yaml:${lineOf(fixture, "${MISTRAL_API_KEY}")}: providers[0].keys[0].value: environment variable MISTRAL_API_KEY is not set`,
    ]);
  });

  it("reports a bad window at its line", () => {
    const text = fixture.replace("{ usd: 5, window: 1d }", "{ usd: 5, window: 2x }");
    const [message] = errors(text);
    expect(message).toMatch(new RegExp(`^config\\.yaml:${lineOf(text, "window: 2x")}: virtual_keys\\[0\\]\\.budgets\\[0\\]\\.window: invalid window "2x"`));
  });

  it("reports an unknown provider type at its line", () => {
    const text = fixture.replace("type: mistral ", "type: mistrl ");
    const [message] = errors(text);
    expect(message).toMatch(new RegExp(`^config\\.yaml:${lineOf(text, "type: mistrl")}: providers\\[0\\]\\.type: unknown provider type "mistrl"`));
  });

  it("reports a team that is not defined", () => {
    const text = fixture.replace("    team: platform", "    team: platfrom");
    expect(errors(text)).toEqual([
      `config.yaml:${lineOf(text, "team: platfrom")}: virtual_keys[0].team: team "platfrom" is not defined in this file`,
    ]);
  });

  it("reports a target provider that is not defined", () => {
    const text = fixture.replace("provider: local-llama, model: qwen-coder", "provider: llama, model: qwen-coder");
    expect(errors(text)).toEqual([
      `config.yaml:${lineOf(text, "provider: llama,")}: routing_rules[0].fallbacks[0].provider: provider "llama" is not defined in this file`,
    ]);
  });
});

describe("YAML handling", () => {
  it("reports syntax errors with their line", () => {
    const [message] = errors("teams:\n  - name: a\n  - { name: b\n");
    expect(message).toMatch(/^config\.yaml:\d+: : invalid YAML: /);
    expect(errors("teams:\n  - name: a\n    name: b\n")[0]).toMatch(/^config\.yaml:3: : invalid YAML: .*unique/i);
  });

  it("accepts an empty file as an empty configuration", () => {
    expect(parseConfigText("", { env: {} }).document).toEqual({});
    expect(parseConfigText("# nothing yet\n", { env: {} }).document).toEqual({});
  });

  it("requires a mapping at the top", () => {
    expect(errors("- teams\n")).toEqual([
      "config.yaml:1: : the file must be a mapping of sections (providers, pricing, customers, teams, virtual_keys, models, routing_rules, model_aliases, settings)",
    ]);
  });

  it("reports a missing required field at its parent", () => {
    expect(errors("teams:\n  - customer: acme\n")).toEqual(["config.yaml:2: teams[0].name: required field is missing"]);
  });

  it("reports wrong types with what was found", () => {
    expect(errors("teams:\n  - name: t\n    budgets:\n      - { usd: lots, window: 1d }\n")).toEqual([
      'config.yaml:4: teams[0].budgets[0].usd: expected number, got string "lots"',
    ]);
  });
});

describe("${VAR} substitution", () => {
  const providerWith = (value: string) => `providers:\n  - name: p\n    type: openai\n    keys:\n      - name: k\n        value: ${value}\n`;

  it("substitutes inside a longer value and keeps the template as the secret ref", () => {
    const { document, secretRefs } = parseConfigText(providerWith('"Bearer ${TOKEN}"'), { env: { TOKEN: "abc" } });
    expect(document.providers?.[0]?.keys?.[0]?.value).toBe("Bearer abc");
    expect(secretRefs.get(providerKeyRefId("p", "k"))).toBe("Bearer ${TOKEN}");
  });

  it("keeps no ref for a literal value", () => {
    const { secretRefs } = parseConfigText(providerWith("literal"), { env: {} });
    expect(secretRefs.size).toBe(0);
  });

  it("cannot change the file's structure, whatever the value holds", () => {
    const tricky = 'a"b: c # d\n  - e';
    const { document } = parseConfigText(providerWith('"${TRICKY}"'), { env: { TRICKY: tricky } });
    expect(document.providers?.[0]?.keys?.[0]?.value).toBe(tricky);
  });

  it("writes a literal ${ for $${", () => {
    const { document, secretRefs } = parseConfigText(providerWith('"$${NOT_A_VAR}"'), { env: {} });
    expect(document.providers?.[0]?.keys?.[0]?.value).toBe("${NOT_A_VAR}");
    expect(secretRefs.size).toBe(0);
  });

  it("rejects a malformed reference instead of passing it through", () => {
    expect(errors(providerWith('"${OOPS"'))).toEqual([
      'config.yaml:6: providers[0].keys[0].value: malformed variable reference: expected ${NAME} (write $${ for a literal "${")',
    ]);
  });

  it("ignores references in comments", () => {
    expect(() => parseConfigText("# uses ${UNSET_VARIABLE}\nteams: []\n", { env: {} })).not.toThrow();
  });

  it("types an unquoted reference like the value written in its place", () => {
    const text = "teams:\n  - name: t\n    budgets:\n      - usd: ${DAILY_USD}\n        window: 1d\n";
    const { document } = parseConfigText(text, { env: { DAILY_USD: "12.5" } });
    expect(document.teams?.[0]?.budgets?.[0]?.usd).toBe(12.5);
    const quoted = text.replace("${DAILY_USD}", '"${DAILY_USD}"');
    expect(errors(quoted, { env: { DAILY_USD: "12.5" } })[0]).toMatch(/expected number, got string "12.5"/);
  });

  it("reports a missing variable inside a block scalar on its own line", () => {
    const text = "routing_rules:\n  - name: r\n    description: |\n      first line\n      uses ${NOPE}\n    targets: []\n";
    expect(errors(text, { env: {} })[0]).toBe("config.yaml:5: routing_rules[0].description: environment variable NOPE is not set");
  });

  it("reports every missing variable", () => {
    expect(substituteEnv("${A}-${B}-${A}", { B: "b" }).problems.map((p) => p.kind === "missing" && p.name)).toEqual(["A", "A"]);
  });
});

describe("providerKeyPlaceholderVariable", () => {
  it("makes an environment-safe name", () => {
    expect(providerKeyPlaceholderVariable("local-llama", "none")).toBe("SWITCHYARD_KEY_LOCAL_LLAMA_NONE");
    expect(providerKeyPlaceholderVariable("azure.eu", "Primary Key #2")).toBe("SWITCHYARD_KEY_AZURE_EU_PRIMARY_KEY_2");
  });
});
