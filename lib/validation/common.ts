// Building blocks shared by the domain schemas in this folder.
import { z } from "zod";
import { isWindow, MAX_WINDOW_COUNT } from "../durations/windows";

/** Provider names appear in model ids (`<provider>/<model>`), so they stay URL- and path-safe. */
export const providerNameSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, {
    error: "must start with a lowercase letter or digit and contain only a-z 0-9 . _ -",
  });

// Teams, customers, keys and rules are shown to people and written to logs; any text goes
// except what breaks a log line or hides in a terminal (control characters, padding).
export const entityNameSchema = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(128)
  .regex(/^\S(.*\S)?$/, { error: "must not start or end with whitespace" })
  .regex(/^[^\p{Cc}]*$/u, { error: "must not contain control characters" });

/** A model name or glob (`gpt-4o`, `mistral/devstral-*`, `*`). */
export const modelPatternSchema = z.string().min(1, { error: "must not be empty" }).max(256);

export const windowSchema = z.string().refine(isWindow, {
  error: (issue) =>
    `invalid window ${JSON.stringify(issue.input)}: expected <n><unit> with n from 1 to ${MAX_WINDOW_COUNT} and ` +
    `unit m, h, d, w, M or Y (e.g. 1m, 5m, 1h, 1d, 1w, 1M, 1Y)`,
});

export const windowAlignmentSchema = z.enum(["calendar", "rolling"]);

/** Free-form JSON object attached to customers, teams and keys. */
export const metadataSchema = z.record(z.string(), z.json());

/** A list of strings without repeats (repeats in allow-lists are almost always typos). */
export function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) {
        ctx.addIssue({ code: "custom", message: `duplicate entry "${value}"`, path: [index] });
      }
      seen.add(value);
    });
  });
}

/** Reports entries of `items` whose `key` repeats an earlier one, at `[index, field]`. */
export function reportDuplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  ctx: z.RefinementCtx,
  options: { field: string; what: string; pathPrefix?: readonly PropertyKey[] },
): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const value = key(item);
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return;
    }
    ctx.addIssue({
      code: "custom",
      message: `duplicate ${options.what} "${value}" (first defined at index ${first})`,
      path: [...(options.pathPrefix ?? []), index, options.field],
    });
  });
}
