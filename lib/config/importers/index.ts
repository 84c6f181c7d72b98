// `npm run config -- import litellm|bifrost FILE`: the source file as a Switchyard config file
// (YAML, the same format `apply` reads), with what could not be mapped listed at its top.
import { Document } from "yaml";
import { importBifrost } from "./bifrost";
import { importLiteLLM } from "./litellm";
import type { ImportResult } from "./import-report";

export const IMPORT_FORMATS = ["litellm", "bifrost"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function importConfigText(format: ImportFormat, text: string): ImportResult {
  return format === "litellm" ? importLiteLLM(text) : importBifrost(text);
}

export function importedYaml(format: ImportFormat, sourceName: string, result: ImportResult): string {
  const yaml = new Document(result.document, { aliasDuplicateObjects: false });
  yaml.commentBefore = [
    ` Switchyard configuration imported from ${format} ${sourceName} (npm run config -- import).`,
    " Apply with: npm run config -- apply FILE. ${VAR} is read from the environment.",
    ...(result.notes.length > 0 ? [" Adjusted:", ...result.notes.map((n) => `   ${n}`)] : []),
    ...(result.notMapped.length > 0 ? [" Not mapped:", ...result.notMapped.map((n) => `   ${n.path}: ${n.reason}`)] : []),
  ].join("\n");
  return yaml.toString({ lineWidth: 0 });
}

export { formatImportReport, type ImportResult, type NotMapped } from "./import-report";
