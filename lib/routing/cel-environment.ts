// The CEL environment of routing conditions. In lib/ because both the gateway (compiling
// rules once per snapshot) and the admin API / config loader (rejecting a rule that does not
// compile, on save) need the exact same declarations.
// One CEL environment declares the routing variables, so that a typo (`modle`) or a type
// error (`model + 1`) is rejected when the rule is saved instead of silently never matching.

import { Environment, type ParseResult } from "@marcbachmann/cel-js";

export const routingCelEnvironment = new Environment({
  limits: { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 500, maxMapEntries: 500, maxCallArguments: 16 },
})
  .registerVariable("model", "string")
  .registerVariable("provider", "string")
  .registerVariable("request_type", "string")
  .registerVariable("headers", "map<string, string>")
  .registerVariable("params", "map<string, dyn>")
  .registerVariable("key", "map<string, string>")
  .registerVariable("team", "map<string, string>")
  .registerVariable("customer", "map<string, string>")
  .registerVariable("metadata", "map<string, string>")
  .registerVariable("tags", "list<string>")
  .registerVariable("budget_used", "double")
  .registerVariable("tokens_used", "double")
  .registerVariable("requests_used", "double");

export interface CelConditionError {
  /** The CEL message without the source excerpt, e.g. "Unknown variable: modle". */
  readonly message: string;
  /** The CEL error code, e.g. unknown_variable, unexpected_token, not_boolean. */
  readonly code: string;
  /** Zero-based character offsets into the expression. */
  readonly position: { readonly start: number; readonly end: number };
  /** The CEL message with the caret excerpt, for display in a monospace font. */
  readonly excerpt: string;
}

export type CompiledCondition = (activation: object) => unknown;

export type ConditionCompileResult =
  | { readonly ok: true; readonly evaluate: CompiledCondition | null }
  | { readonly ok: false; readonly error: CelConditionError };

interface CelErrorLike {
  message: string;
  code?: string;
  summary?: string;
  range?: { start: number; end: number };
}

function toConditionError(error: unknown, expression: string): CelConditionError {
  const e = (error instanceof Error ? error : new Error(String(error))) as Error & CelErrorLike;
  return {
    message: e.summary ?? e.message.split("\n")[0] ?? e.message,
    code: e.code ?? "invalid_expression",
    position: e.range ? { start: e.range.start, end: e.range.end } : { start: 0, end: expression.length },
    excerpt: e.message,
  };
}

/** Parses and type-checks a condition; an empty condition matches everything (evaluate = null). */
export function compileCondition(expression: string): ConditionCompileResult {
  if (expression.trim() === "") return { ok: true, evaluate: null };
  let parsed: ParseResult;
  try {
    parsed = routingCelEnvironment.parse(expression);
  } catch (error) {
    return { ok: false, error: toConditionError(error, expression) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: toConditionError(checked.error, expression) };
  // A rule condition must decide; `model` alone would be a string and never "match".
  if (checked.type !== "bool" && checked.type !== "dyn") {
    return {
      ok: false,
      error: {
        message: `Condition must be a boolean expression, got ${checked.type ?? "unknown"}`,
        code: "not_boolean",
        position: { start: 0, end: expression.length },
        excerpt: expression,
      },
    };
  }
  return { ok: true, evaluate: parsed };
}

/** For the admin API on save: null when the condition is valid. */
export function validateCondition(expression: string): CelConditionError | null {
  const result = compileCondition(expression);
  return result.ok ? null : result.error;
}
