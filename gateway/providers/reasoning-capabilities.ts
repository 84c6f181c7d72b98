// Reasoning normalization shared by the adapters (PRODUCT §3.3). Clients ask for reasoning in
// their family's terms — Anthropic `thinking` with a token budget (or adaptive), OpenAI
// `reasoning_effort` / `reasoning.effort`, Gemini `thinkingBudget` — and providers take one of
// those. A request that says "reasoning on" in any family's terms turns it on in the
// provider's; the values in between follow the tables below, and the adapters record every
// change in the request's param transformations.
import type { CanonicalMessage, ReasoningEffort, ReasoningRequest, TransformLog } from "../formats/canonical";

/** The smallest thinking budget Claude accepts (also on Bedrock). */
export const MIN_CLAUDE_THINKING_BUDGET = 1024;

/** Token budget for an effort, for providers whose thinking takes a budget. */
const BUDGET_BY_EFFORT: Readonly<Record<Exclude<ReasoningEffort, "none">, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

/** Whether the client asked for reasoning to be on, in whichever family's terms it speaks. */
export function reasoningRequested(reasoning: ReasoningRequest | undefined): boolean {
  if (!reasoning) return false;
  if (reasoning.mode !== undefined) return reasoning.mode !== "disabled";
  return reasoning.effort !== undefined && reasoning.effort !== "none";
}

/** The budget an effort-only request (OpenAI clients) gets on a budget-based provider. */
export function budgetForEffort(effort: ReasoningEffort | undefined): number {
  return effort === undefined || effort === "none" ? MIN_CLAUDE_THINKING_BUDGET : BUDGET_BY_EFFORT[effort];
}

/**
 * Claude's rule, 1024 ≤ budget < max_tokens, applied to what the client asked: the budget is
 * shrunk first (the client's max_tokens is a cost cap), and max_tokens grows only when the
 * budget cannot shrink below the minimum.
 */
export function fitClaudeThinkingBudget(budget: number, maxTokens: number, transforms: TransformLog, maxTokensParam = "max_tokens"): { budget: number; maxTokens: number } {
  let fitted = budget;
  let max = maxTokens;
  if (fitted < MIN_CLAUDE_THINKING_BUDGET) {
    transforms.record({ param: "thinking.budget_tokens", action: "changed", from: fitted, to: MIN_CLAUDE_THINKING_BUDGET, reason: `claude requires budget_tokens >= ${MIN_CLAUDE_THINKING_BUDGET}` });
    fitted = MIN_CLAUDE_THINKING_BUDGET;
  }
  if (max <= fitted) {
    if (max - 1 >= MIN_CLAUDE_THINKING_BUDGET) {
      transforms.record({ param: "thinking.budget_tokens", action: "changed", from: fitted, to: max - 1, reason: "claude requires budget_tokens < max_tokens" });
      fitted = max - 1;
    } else {
      transforms.record({ param: maxTokensParam, action: "changed", from: max, to: fitted + max, reason: "claude requires max_tokens > thinking.budget_tokens" });
      max = fitted + max;
    }
  }
  return { budget: fitted, maxTokens: max };
}

/**
 * Claude with thinking on requires the last assistant turn of a tool loop to start with the
 * (signed) thinking it produced. Clients that cannot carry signatures (OpenAI chat streams)
 * send that turn back without it; thinking must then be off for this request, or Claude
 * answers 400. Returns true when that is the case.
 */
export function lastToolTurnLacksSignedThinking(messages: readonly CanonicalMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== "assistant") continue;
    if (!message.content.some((block) => block.type === "tool_use")) return false;
    const first = message.content[0];
    return !(first?.type === "redacted_thinking" || (first?.type === "thinking" && first.signature !== undefined));
  }
  return false;
}

export function recordThinkingOffForUnsignedTurn(transforms: TransformLog, param = "thinking"): void {
  transforms.record({ param, action: "dropped", reason: "the last assistant tool turn carries no signed thinking (e.g. echoed by an OpenAI chat client); claude rejects thinking on then" });
}
