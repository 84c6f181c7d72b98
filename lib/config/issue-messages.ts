// Turns zod issues into messages a person editing YAML understands: "unknown field
// "budgts" (did you mean "budgets"?)" instead of "Unrecognized key".
import type { z } from "zod";
import { configDocumentBaseSchema } from "../validation/config";

export interface DescribedIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Report at the key of the last path segment rather than at its value. */
  readonly atKey: boolean;
}

export function describeIssue(issue: z.core.$ZodIssue): DescribedIssue[] {
  const path = issue.path;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const suggestion = closestField(key, knownFields(path));
        return {
          path: [...path, key],
          message: `unknown field "${key}"` + (suggestion ? ` (did you mean "${suggestion}"?)` : ""),
          atKey: true,
        };
      });
    case "invalid_type":
      if (issue.input === undefined) return [{ path, message: "required field is missing", atKey: false }];
      if (path.length === 0) {
        return [{ path, message: `the file must be a mapping of sections (${knownFields([]).join(", ")})`, atKey: false }];
      }
      return [{ path, message: `expected ${issue.expected}, got ${describeValue(issue.input)}`, atKey: false }];
    default:
      return [{ path, message: issue.message, atKey: false }];
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

/** Field names the schema allows at `path` (the object that had the unknown key). */
export function knownFields(path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | undefined = (configDocumentBaseSchema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    while (def && (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "pipe")) {
      def = (def.type === "pipe" ? def.in : def.innerType)?._zod.def;
    }
  };
  for (const segment of path) {
    unwrap();
    if (def?.type === "object" && typeof segment === "string") def = def.shape?.[segment]?._zod.def;
    else if (def?.type === "array" && typeof segment === "number") def = def.element?._zod.def;
    else return [];
  }
  unwrap();
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function closestField(unknown: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const field of fields) {
    const distance = editDistance(unknown.toLowerCase(), field);
    if (distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  // Beyond a third of the word, a "suggestion" is noise.
  return bestDistance <= Math.max(1, Math.floor(unknown.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
