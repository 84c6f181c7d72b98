// The guided mode of the routing rule editor: a few common clauses turned into the CEL the
// condition field holds (lib/routing/cel-environment.ts declares the variables). The result
// is plain CEL in the same field, so the server's compile check and error highlight apply
// to guided and hand-written conditions alike.

export const CLAUSE_KINDS = {
  model_prefix: { label: "Model starts with", placeholder: "claude-" },
  model_glob: { label: "Model matches glob", placeholder: "gpt-4o*" },
  model_equals: { label: "Model is", placeholder: "gpt-4o-mini" },
  provider_equals: { label: "Requested provider is", placeholder: "openai" },
  request_type_in: { label: "Request type is one of", placeholder: "chat, chat_stream" },
  header_equals: { label: "Header equals", placeholder: "x-env=staging" },
  team_in: { label: "Team is one of", placeholder: "research, platform" },
  key_in: { label: "Virtual key is one of", placeholder: "ci-bot" },
} as const;
export type ClauseKind = keyof typeof CLAUSE_KINDS;

export interface Clause {
  kind: ClauseKind;
  value: string;
}

/** A CEL string literal: JSON's escapes (\" \\ \n \uXXXX) are valid CEL escapes. */
const str = (value: string) => JSON.stringify(value);

const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** `*` → any run, `?` → one character; everything else literal, for RE2 `matches`. */
export function globToRegex(glob: string): string {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return `^${escaped}$`;
}

/** One clause as CEL, or an error message for the clause's field. */
export function clauseToCel(clause: Clause): { ok: true; cel: string } | { ok: false; error: string } {
  const value = clause.value.trim();
  if (value === "") return { ok: false, error: "enter a value" };
  switch (clause.kind) {
    case "model_prefix":
      return { ok: true, cel: `model.startsWith(${str(value)})` };
    case "model_glob":
      // A single trailing * is the common case; startsWith reads better than a regex.
      if (/^[^*?]+\*$/.test(value)) return { ok: true, cel: `model.startsWith(${str(value.slice(0, -1))})` };
      return { ok: true, cel: `model.matches(${str(globToRegex(value))})` };
    case "model_equals":
      return { ok: true, cel: `model == ${str(value)}` };
    case "provider_equals":
      return { ok: true, cel: `provider == ${str(value)}` };
    case "request_type_in": {
      const types = list(value);
      return types.length === 1 ? { ok: true, cel: `request_type == ${str(types[0]!)}` } : { ok: true, cel: `request_type in [${types.map(str).join(", ")}]` };
    }
    case "header_equals": {
      const eq = value.indexOf("=");
      if (eq <= 0) return { ok: false, error: "write name=value, e.g. x-env=staging" };
      // Rules see header names lower-cased; a missing header would be a map-key error, hence `in`.
      const name = value.slice(0, eq).trim().toLowerCase();
      const expected = value.slice(eq + 1).trim();
      return { ok: true, cel: `(${str(name)} in headers && headers[${str(name)}] == ${str(expected)})` };
    }
    case "team_in":
    case "key_in": {
      const names = list(value);
      const variable = clause.kind === "team_in" ? "team" : "key";
      return names.length === 1 ? { ok: true, cel: `${variable}["name"] == ${str(names[0]!)}` } : { ok: true, cel: `${variable}["name"] in [${names.map(str).join(", ")}]` };
    }
  }
}

/** All clauses joined with && (all) or || (any); errors by clause index. */
export function buildCondition(clauses: readonly Clause[], join: "all" | "any"): { ok: true; cel: string } | { ok: false; errors: Record<number, string> } {
  const parts: string[] = [];
  const errors: Record<number, string> = {};
  clauses.forEach((clause, index) => {
    const result = clauseToCel(clause);
    if (result.ok) parts.push(result.cel);
    else errors[index] = result.error;
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const joined = parts.join(join === "all" ? " && " : " || ");
  // Parenthesised when || would otherwise bind looser than a later hand-written && part.
  return { ok: true, cel: join === "any" && parts.length > 1 ? `(${joined})` : joined };
}
