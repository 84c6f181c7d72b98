// Config as code (PRODUCT §9.2): load + validate a YAML file, apply it, export the database.
export { applyConfig, CONFIG_CHANGED_CHANNEL, CONFIG_KINDS, ConfigApplyError } from "./apply";
export type { ApplyOptions, ApplySummary, ConfigChange, ConfigKind, GeneratedVirtualKey, KindCounts } from "./apply";
export { applyConfigFile } from "./apply-file";
export type { ApplyFileOptions } from "./apply-file";
export { ConfigError, formatConfigIssue } from "./config-error";
export type { ConfigIssue } from "./config-error";
export { exportConfig } from "./export";
export type { ExportOptions } from "./export";
export { loadConfigFile, parseConfigText } from "./load";
export type { LoadedConfig, ParseConfigOptions } from "./load";
export { formatApplySummary, formatDryRun, formatGeneratedKeys } from "./summary-text";
