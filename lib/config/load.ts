// Reads a config file: YAML → `${VAR}` substitution → schema validation, with every problem
// reported as `FILE:LINE: path: reason`.
//
// Substitution happens in parsed scalar values, not in the raw text, so that a secret
// containing `"`, `#` or `: ` cannot change the structure of the file, `${VAR}` inside a
// comment is ignored, and line numbers stay exact.
import { readFile } from "node:fs/promises";
import type { Scalar } from "yaml";
import { configDocumentSchema, type ConfigDocument } from "../validation/config";
import { ConfigError, formatConfigPath, type ConfigIssue } from "./config-error";
import { hasEnvSyntax, substituteEnv, type Environment } from "./env-substitution";
import { describeIssue } from "./issue-messages";
import { providerKeyRefId, type SecretRefs } from "./secret-refs";
import { forEachValueScalar, parseYamlSource, type Path, type YamlSource } from "./yaml-source";

export interface LoadedConfig {
  readonly document: ConfigDocument;
  /** The `${VAR}` template each provider key value came from, when it came from one. */
  readonly secretRefs: SecretRefs;
}

export interface ParseConfigOptions {
  /** Shown in messages; defaults to `config.yaml`. */
  readonly fileName?: string;
  readonly env?: Environment;
}

/** Throws ConfigError (with every issue found) when the text is not a valid config. */
export function parseConfigText(text: string, options: ParseConfigOptions = {}): LoadedConfig {
  const file = options.fileName ?? "config.yaml";
  const env = options.env ?? process.env;

  const parsed = parseYamlSource(text);
  if ("problems" in parsed) {
    throw new ConfigError(parsed.problems.map((p) => ({ file, line: p.line, path: "", message: p.message })));
  }
  const { source } = parsed;

  const { issues: envIssues, templates } = substituteScalars(source, env, file);
  if (envIssues.length > 0) throw new ConfigError(envIssues);

  const raw: unknown = source.document.toJS({ maxAliasCount: 100 }) ?? {};
  const result = configDocumentSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.flatMap(describeIssue).map(
      (issue): ConfigIssue => ({
        file,
        line: source.lineOf(issue.path, { atKey: issue.atKey }),
        path: formatConfigPath(issue.path),
        message: issue.message,
      }),
    );
    throw new ConfigError(sortIssues(issues));
  }

  return { document: result.data, secretRefs: collectSecretRefs(result.data, templates) };
}

export async function loadConfigFile(filePath: string, env?: Environment): Promise<LoadedConfig> {
  const text = await readFile(filePath, "utf8");
  // Messages name the file as the user wrote it, like a compiler's.
  return parseConfigText(text, { fileName: filePath, env });
}

/** Replaces `${VAR}` in every string value; returns the original templates by path. */
function substituteScalars(
  source: YamlSource,
  env: Environment,
  file: string,
): { issues: ConfigIssue[]; templates: Map<string, string> } {
  const issues: ConfigIssue[] = [];
  const templates = new Map<string, string>();
  forEachValueScalar(source.document, (scalar, scalarPath) => {
    // `$${` contains `${`, so escapes are handled here too.
    if (typeof scalar.value !== "string" || !hasEnvSyntax(scalar.value)) return;
    const template = scalar.value;
    const result = substituteEnv(template, env);
    for (const problem of result.problems) {
      const line = lineOfReference(source, scalar, template, problem.offset);
      issues.push({
        file,
        line,
        path: formatConfigPath(scalarPath),
        message:
          problem.kind === "missing"
            ? `environment variable ${problem.name} is not set`
            : 'malformed variable reference: expected ${NAME} (write $${ for a literal "${")',
      });
    }
    if (result.problems.length > 0) return;
    if (result.variables.length > 0) templates.set(formatConfigPath(scalarPath), template);
    scalar.value = scalar.type === "PLAIN" ? resolvePlainScalar(result.value) : result.value;
  });
  return { issues, templates };
}

// A reference inside a multi-line scalar is reported on its own line, not the scalar's first.
function lineOfReference(source: YamlSource, scalar: Scalar, template: string, offset: number): number {
  const start = scalar.range?.[0] ?? 0;
  const end = scalar.range?.[1] ?? start;
  const reference = template.slice(offset, template.indexOf("}", offset) + 1 || undefined);
  const inSource = source.text.slice(start, end).indexOf(reference);
  return source.lineAt(inSource >= 0 ? start + inSource : start);
}

// An unquoted `${PORT}` should become what an unquoted `8080` would have been; YAML 1.2
// core-schema resolution for the types a config uses (null, booleans, numbers).
function resolvePlainScalar(text: string): string | number | boolean | null {
  if (/^(null|Null|NULL|~|)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text) || /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

function collectSecretRefs(document: ConfigDocument, templates: ReadonlyMap<string, string>): SecretRefs {
  const refs = new Map<string, string>();
  (document.providers ?? []).forEach((provider, i) => {
    (provider.keys ?? []).forEach((key, j) => {
      const template = templates.get(formatConfigPath(["providers", i, "keys", j, "value"]));
      if (template !== undefined) refs.set(providerKeyRefId(provider.name, key.name), template);
    });
  });
  return refs;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
}

export type { Path };
