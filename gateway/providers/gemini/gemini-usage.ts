// Gemini `usageMetadata` ↔ canonical usage. Gemini counts thinking apart from the answer
// (`thoughtsTokenCount` is not part of `candidatesTokenCount`, but both are billed as output),
// and cached tokens inside the prompt (`cachedContentTokenCount` ⊂ `promptTokenCount`); the
// canonical model has OpenAI semantics: output includes reasoning, input includes cached.
import type { CanonicalUsage } from "../../formats/canonical";
import type { Json } from "./gemini-wire";
import { isJsonObject } from "./gemini-wire";

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Null when the object carries no usage at all (a stream chunk without it). */
export function usageFromGemini(metadata: unknown): CanonicalUsage | null {
  if (!isJsonObject(metadata)) return null;
  const thoughts = count(metadata.thoughtsTokenCount);
  return {
    // Tokens of tool-use prompts (code execution, search results) are read as input too.
    input: count(metadata.promptTokenCount) + count(metadata.toolUsePromptTokenCount),
    output: count(metadata.candidatesTokenCount) + thoughts,
    cacheRead: count(metadata.cachedContentTokenCount),
    cacheWrite: 0,
    reasoning: thoughts,
  };
}

/** Canonical usage as Gemini reports it to a Gemini client. Zero counts of optional kinds are left out, as Google does. */
export function geminiUsageMetadata(usage: CanonicalUsage): Json {
  const thoughts = Math.min(usage.reasoning, usage.output);
  return {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output - thoughts,
    totalTokenCount: usage.input + usage.output,
    ...(usage.cacheRead > 0 ? { cachedContentTokenCount: usage.cacheRead } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}
