// Glob matching for allow-lists (virtual keys, provider keys), limits and price overrides.
// `*` matches any run of characters, including `/`, so `openai/*` and `gpt-4o*` both work;
// `?` matches one character. No regex is built, so patterns from the database cannot
// inject regex syntax or trigger catastrophic backtracking. Shared by gateway/ and lib/.

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
      // Backtrack: let the last `*` swallow one more character.
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

export function matchesAnyGlob(patterns: readonly string[], values: readonly string[]): boolean {
  return patterns.some((pattern) => values.some((value) => matchGlob(pattern, value)));
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}
