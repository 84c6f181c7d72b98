// `model_aliases:` in the config file: `{ fast: openai/gpt-4o-mini }`. Aliases resolve one
// level deep (lib/routing/model-aliases.ts), so chains and cycles are rejected here, on save,
// instead of quietly resolving to an intermediate name.
import { z } from "zod";
import { validateModelAliases } from "../routing/model-aliases";

export const modelAliasesSchema = z.record(z.string().min(1), z.string().min(1)).superRefine((aliases, ctx) => {
  for (const problem of validateModelAliases(aliases)) {
    ctx.addIssue({ code: "custom", path: [problem.alias], message: problem.message });
  }
});

export type ModelAliasesConfig = z.output<typeof modelAliasesSchema>;

/** The settings row that holds the alias map (read by the gateway's snapshot loader). */
export const MODEL_ALIASES_SETTING = "model_aliases";
