// For `npm start` (SWITCHYARD_CONFIG) and the CLI: read, validate and apply one file.
import type { PrismaClient } from "../db/client";
import { applyConfig, type ApplySummary } from "./apply";
import type { Environment } from "./env-substitution";
import { loadConfigFile } from "./load";

export interface ApplyFileOptions {
  readonly actor?: string;
  readonly env?: Environment;
}

/** Throws ConfigError (invalid file, with `FILE:LINE: reason` lines) or ConfigApplyError. */
export async function applyConfigFile(
  prisma: PrismaClient,
  filePath: string,
  options: ApplyFileOptions = {},
): Promise<ApplySummary> {
  const loaded = await loadConfigFile(filePath, options.env);
  return applyConfig(prisma, loaded.document, { actor: options.actor, secretRefs: loaded.secretRefs });
}
