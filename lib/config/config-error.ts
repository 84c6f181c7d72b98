// Problems found in a config file, each pinned to a line so that the CLI can print
// `config.yaml:12: virtual_keys[0].budgts: unknown field "budgts"` like a compiler does.

export interface ConfigIssue {
  /** File name as given by the caller (shown, not opened). */
  readonly file: string;
  /** 1-based line in the file. */
  readonly line: number;
  /** Dotted path into the document, e.g. `virtual_keys[0].budgets[1].window`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path === ""
    ? `${issue.file}:${issue.line}: ${issue.message}`
    : `${issue.file}:${issue.line}: ${issue.path}: ${issue.message}`;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join("\n") || "invalid configuration");
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** `["virtual_keys", 0, "budgets"]` → `virtual_keys[0].budgets`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
