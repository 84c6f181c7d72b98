// Client-side validation with the API's own zod schemas (lib/validation): the form shows the
// same message next to the field that the server would have answered with a 400, without the
// round trip. The server still validates; this only moves the first error closer to the user.
import type { z } from "zod";

/** First issue per dotted path ("name", "budgets.0.usd"); empty when the value is valid. */
export function zodIssues(schema: z.ZodType, value: unknown): Record<string, string> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return {};
  const issues: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join(".") || "(root)";
    issues[path] ??= issue.message;
  }
  return issues;
}

/** The message for a field, from client issues first, else from the server's ApiError issues. */
export function issueAt(issues: Record<string, string>, path: string): string | undefined {
  if (issues[path]) return issues[path];
  const nested = Object.keys(issues).find((key) => key.startsWith(`${path}.`));
  return nested ? issues[nested] : undefined;
}
