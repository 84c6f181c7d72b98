// Canonical reasoning → Gemini `thinkingConfig`, through a small capability table per model
// family (DESIGN: capability table drives normalization; every change is recorded):
//   - Gemini 2.5 takes a token budget (`thinkingBudget`, -1 = dynamic) within a per-model
//     range; Pro cannot turn thinking off, Flash and Flash-Lite can (budget 0).
//   - Gemini 3 and later take a `thinkingLevel` (Pro: low|high; Flash: minimal..high), cannot
//     turn thinking off, and answer 400 when a level and a budget are both sent.
//   - Older models (1.x, 2.0) have no thinking: the request's reasoning is dropped.
// Thought summaries come back only with `includeThoughts: true`, which is what a client
// asking for thinking (Anthropic thinking on, OpenAI reasoning effort) expects to see.
import type { CanonicalRequest, ReasoningEffort, TransformLog } from "../../formats/canonical";
import type { Json } from "./gemini-wire";
import { isGemini3OrLater } from "./gemini-wire";

type Level = "minimal" | "low" | "medium" | "high";

type ThinkingCapability =
  | { readonly kind: "none" }
  | { readonly kind: "budget"; readonly min: number; readonly max: number; readonly canDisable: boolean }
  | { readonly kind: "level"; readonly levels: readonly Level[] };

export function thinkingCapabilityOf(model: string): ThinkingCapability {
  const name = model.toLowerCase();
  if (isGemini3OrLater(name)) return { kind: "level", levels: /-pro\b/.test(name) ? ["low", "high"] : ["minimal", "low", "medium", "high"] };
  if (/gemini-2\.5-pro/.test(name)) return { kind: "budget", min: 128, max: 32_768, canDisable: false };
  if (/gemini-2\.5-flash-lite/.test(name)) return { kind: "budget", min: 512, max: 24_576, canDisable: true };
  if (/gemini-2\.5/.test(name)) return { kind: "budget", min: 1, max: 24_576, canDisable: true };
  if (/gemini-(1\.|2\.0)/.test(name)) return { kind: "none" };
  // Unknown names (tuned models, gateways in front of Gemini): pass budgets through unchanged.
  return { kind: "budget", min: 1, max: Number.MAX_SAFE_INTEGER, canDisable: true };
}

/** Token budgets for effort levels, for models that take a budget. */
const BUDGET_BY_EFFORT: Readonly<Record<ReasoningEffort, number>> = {
  none: 0, minimal: 512, low: 1_024, medium: 8_192, high: 24_576, xhigh: 32_768, max: 32_768,
};

const LEVEL_BY_EFFORT: Readonly<Record<ReasoningEffort, Level>> = {
  none: "minimal", minimal: "minimal", low: "low", medium: "medium", high: "high", xhigh: "high", max: "high",
};

function levelForBudget(budget: number): Level {
  return budget <= 1_024 ? "low" : budget <= 8_192 ? "medium" : "high";
}

/** The nearest level the model supports, preferring the higher one on a tie (more thinking, not less). */
function supportedLevel(wanted: Level, levels: readonly Level[]): Level {
  const order: readonly Level[] = ["minimal", "low", "medium", "high"];
  if (levels.includes(wanted)) return wanted;
  const at = order.indexOf(wanted);
  let best = levels[levels.length - 1]!;
  let bestDistance = Infinity;
  for (const level of levels) {
    const distance = Math.abs(order.indexOf(level) - at);
    if (distance < bestDistance || (distance === bestDistance && order.indexOf(level) > order.indexOf(best))) {
      best = level;
      bestDistance = distance;
    }
  }
  return best;
}

function askedFor(request: CanonicalRequest): string {
  const r = request.reasoning!;
  return r.mode === "enabled" && r.budgetTokens !== undefined ? `enabled(${r.budgetTokens})` : r.effort !== undefined ? `effort=${r.effort}` : (r.mode ?? "default");
}

export function geminiThinkingConfig(request: CanonicalRequest, model: string, transforms: TransformLog): Json | undefined {
  const reasoning = request.reasoning;
  if (!reasoning || (reasoning.mode === undefined && reasoning.effort === undefined)) return undefined;
  const capability = thinkingCapabilityOf(model);
  const param = reasoning.mode !== undefined ? "thinking" : "reasoning_effort";
  const off = reasoning.mode === "disabled" || (reasoning.mode === undefined && reasoning.effort === "none");
  // Summaries are shown unless the client asked to omit them (Anthropic thinking.display).
  const includeThoughts = !off && reasoning.display !== "omitted" ? { includeThoughts: true } : {};
  if (reasoning.display === "omitted" && !off) transforms.record({ param: "thinking.display", action: "changed", from: "omitted", to: "includeThoughts=false", reason: "gemini returns thought summaries only with includeThoughts" });

  if (capability.kind === "none") {
    if (!off) transforms.record({ param, action: "dropped", from: askedFor(request), reason: `${model} has no thinking` });
    return undefined;
  }

  if (capability.kind === "level") {
    let wanted: Level | undefined;
    if (off) wanted = capability.levels[0]!;
    else if (reasoning.mode === "enabled" && reasoning.budgetTokens !== undefined) wanted = levelForBudget(reasoning.budgetTokens);
    else if (reasoning.effort !== undefined) wanted = LEVEL_BY_EFFORT[reasoning.effort];
    // Adaptive without an effort: the model's own dynamic default.
    if (wanted === undefined) return { ...includeThoughts };
    const level = supportedLevel(wanted, capability.levels);
    if (off) transforms.record({ param, action: "changed", from: "disabled", to: `thinkingLevel=${level}`, reason: `${model} cannot turn thinking off; lowest level used` });
    else if (reasoning.mode === "enabled" && reasoning.budgetTokens !== undefined) transforms.record({ param, action: "changed", from: askedFor(request), to: `thinkingLevel=${level}`, reason: "gemini 3 sets thinking by level, not budget" });
    else if (level !== reasoning.effort) transforms.record({ param, action: "changed", from: reasoning.effort, to: `thinkingLevel=${level}`, reason: `${model} accepts thinkingLevel ${capability.levels.join("|")}` });
    return { thinkingLevel: level, ...includeThoughts };
  }

  // Budget models.
  if (off) {
    if (capability.canDisable) return { thinkingBudget: 0 };
    transforms.record({ param, action: "changed", from: "disabled", to: `thinkingBudget=${capability.min}`, reason: `${model} cannot turn thinking off; smallest budget used` });
    return { thinkingBudget: capability.min };
  }
  let budget: number;
  if (reasoning.mode === "enabled" && reasoning.budgetTokens !== undefined) budget = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined) {
    budget = BUDGET_BY_EFFORT[reasoning.effort];
    transforms.record({ param, action: "changed", from: reasoning.effort, to: `thinkingBudget=${Math.min(Math.max(budget, capability.min), capability.max)}`, reason: "gemini 2.5 sets thinking by token budget" });
  } else return { thinkingBudget: -1, ...includeThoughts };
  const clamped = Math.min(Math.max(budget, capability.min), capability.max);
  if (clamped !== budget && reasoning.mode === "enabled") transforms.record({ param: "thinking.budget_tokens", action: "changed", from: budget, to: clamped, reason: `${model} accepts a thinking budget of ${capability.min}..${capability.max}` });
  return { thinkingBudget: clamped, ...includeThoughts };
}
