// `${VAR}` references in config values (PRODUCT §10). `$${` writes a literal `${`.
// Anything else after `${` is an error rather than passed through, so a typo such as
// `${MISTRAL_API_KEY` cannot end up as a provider key.

export type Environment = Readonly<Record<string, string | undefined>>;

export type SubstitutionProblem =
  | { readonly kind: "missing"; readonly name: string; readonly offset: number }
  | { readonly kind: "malformed"; readonly offset: number };

export interface SubstitutionResult {
  readonly value: string;
  /** Names of the variables referenced, in order of appearance. */
  readonly variables: readonly string[];
  readonly problems: readonly SubstitutionProblem[];
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

export function hasEnvSyntax(text: string): boolean {
  return text.includes("${");
}

export function substituteEnv(template: string, env: Environment): SubstitutionResult {
  const variables: string[] = [];
  const problems: SubstitutionProblem[] = [];
  const value = template.replace(REFERENCE, (match, name: string | undefined, offset: number) => {
    if (match === "$${") return "${";
    if (name === undefined) {
      problems.push({ kind: "malformed", offset });
      return match;
    }
    variables.push(name);
    const replacement = env[name];
    if (replacement === undefined) {
      problems.push({ kind: "missing", name, offset });
      return match;
    }
    return replacement;
  });
  return { value, variables, problems };
}

/** True when the text is exactly one `${VAR}` reference. */
export function isSingleReference(text: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(text);
}

/**
 * Name of the environment variable `config export` writes for a provider key whose
 * origin is unknown, e.g. provider `local-llama`, key `none` → `SWITCHYARD_KEY_LOCAL_LLAMA_NONE`.
 */
export function providerKeyPlaceholderVariable(provider: string, key: string): string {
  const part = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return `SWITCHYARD_KEY_${part(provider)}_${part(key)}`;
}
