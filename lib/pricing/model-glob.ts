// Glob matching for price overrides and allow-lists: `*` matches any run of characters
// (including `/`, so `openai/*` and `gpt-4o*` both work), `?` exactly one. No regex is built,
// so patterns typed by admins cannot inject regex syntax or backtrack catastrophically.
// (gateway/routing/glob.ts has the same semantics; lib/ cannot import gateway/.)

export function matchGlob(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const pc = pattern[p];
    if (pc === "*") {
      starP = p++;
      starV = v;
    } else if (pc !== undefined && (pc === "?" || pc === value[v])) {
      p++;
      v++;
    } else if (starP !== -1) {
      // Let the last `*` swallow one more character and retry from there.
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

/** True when any pattern matches any of the spellings (`provider/model` and bare `model`). */
export function matchesAnyGlob(patterns: readonly string[], values: readonly string[]): boolean {
  return patterns.some((pattern) => values.some((value) => matchGlob(pattern, value)));
}
