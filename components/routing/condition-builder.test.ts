// The guided clauses must produce CEL the server accepts and that matches what it says:
// compiled and evaluated with the same environment the gateway uses.
import { describe, expect, it } from "vitest";
import { compileCondition } from "@/lib/routing/cel-environment";
import { buildCondition, clauseToCel, globToRegex, type Clause } from "./condition-builder";

const activation = (over: Record<string, unknown> = {}) => ({
  model: "gpt-4o-mini",
  provider: "",
  request_type: "chat",
  headers: {},
  params: {},
  key: { id: "k", name: "ci-bot" },
  team: { id: "t", name: "research" },
  customer: { id: "", name: "" },
  metadata: {},
  tags: [],
  budget_used: 0,
  tokens_used: 0,
  requests_used: 0,
  ...over,
});

function evaluate(clauses: Clause[], join: "all" | "any", over?: Record<string, unknown>): unknown {
  const built = buildCondition(clauses, join);
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  const compiled = compileCondition(built.cel);
  if (!compiled.ok) throw new Error(`${built.cel}: ${compiled.error.message}`);
  return compiled.evaluate!(activation(over));
}

describe("condition builder", () => {
  it("writes CEL the routing environment compiles, with the meaning of each clause", () => {
    expect(evaluate([{ kind: "model_prefix", value: "gpt-4o" }], "all")).toBe(true);
    expect(evaluate([{ kind: "model_glob", value: "gpt-?o-*" }], "all")).toBe(true);
    expect(evaluate([{ kind: "model_glob", value: "claude-*" }], "all")).toBe(false);
    expect(evaluate([{ kind: "model_equals", value: "gpt-4o" }], "all")).toBe(false);
    expect(evaluate([{ kind: "request_type_in", value: "chat_stream, chat" }], "all")).toBe(true);
    expect(evaluate([{ kind: "team_in", value: "platform, research" }, { kind: "key_in", value: "ci-bot" }], "all")).toBe(true);
    expect(evaluate([{ kind: "provider_equals", value: "openai" }], "all", { provider: "openai" })).toBe(true);
  });

  it("treats a missing header as no match instead of an evaluation error", () => {
    const header: Clause[] = [{ kind: "header_equals", value: "X-Env=staging" }];
    expect(evaluate(header, "all")).toBe(false);
    expect(evaluate(header, "all", { headers: { "x-env": "staging" } })).toBe(true);
  });

  it("joins with && or a parenthesised ||", () => {
    const clauses: Clause[] = [{ kind: "model_equals", value: "a" }, { kind: "team_in", value: "research" }];
    expect(buildCondition(clauses, "any")).toEqual({ ok: true, cel: '(model == "a" || team["name"] == "research")' });
    expect(evaluate(clauses, "any")).toBe(true);
    expect(evaluate(clauses, "all")).toBe(false);
  });

  it("escapes quotes and regex characters, and reports empty or malformed values", () => {
    expect(evaluate([{ kind: "model_equals", value: 'we"ird\\' }], "all", { model: 'we"ird\\' })).toBe(true);
    expect(globToRegex("a.b*")).toBe("^a\\.b.*$");
    expect(evaluate([{ kind: "model_glob", value: "gpt.4*x" }], "all", { model: "gpt-4ox" })).toBe(false);
    expect(clauseToCel({ kind: "model_prefix", value: "  " })).toEqual({ ok: false, error: "enter a value" });
    expect(buildCondition([{ kind: "model_prefix", value: "x" }, { kind: "header_equals", value: "novalue" }], "all")).toEqual({ ok: false, errors: { 1: expect.stringContaining("name=value") } });
  });
});
