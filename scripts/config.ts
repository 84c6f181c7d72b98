// `npm run config -- apply FILE` / `npm run config -- export FILE` (PRODUCT §10).
// FILE `-` reads stdin (apply) or writes stdout (export). Uses DATABASE_URL, or the
// embedded PostgreSQL that `npm start` runs.
// Exit codes: 0 success, 1 invalid file or failed apply/export, 2 usage.
import { readFile, writeFile } from "node:fs/promises";
import {
  applyConfig,
  ConfigApplyError,
  ConfigError,
  exportConfig,
  formatApplySummary,
  formatDryRun,
  formatGeneratedKeys,
  parseConfigText,
} from "../lib/config";
import { formatImportReport, importConfigText, importedYaml, IMPORT_FORMATS, type ImportFormat, type ImportResult } from "../lib/config/importers";
import { createPrismaClient } from "../lib/db/client";
import { embeddedDatabaseUrl } from "../lib/db/embedded-url";
import { env } from "../lib/env";

const USAGE = `usage: npm run config -- apply FILE [--dry-run] [--prune]
       npm run config -- export FILE [--include-secrets]
       npm run config -- import litellm|bifrost FILE [--out OUT.yaml] [--dry-run] [--prune]
FILE "-" means stdin for apply and stdout for export. Uses DATABASE_URL, or else the
embedded PostgreSQL of a running \`npm start\` (SWITCHYARD_DATA_DIR, SWITCHYARD_PG_PORT).
  --dry-run          print what apply would create (+), update (~) and delete (-); change nothing
  --prune            also delete what the file does not mention (rules, keys, providers, teams…)
  --include-secrets  write provider key secrets in clear instead of their \${VAR} references
  import             convert a LiteLLM config.yaml or a Bifrost config.json, print what could not
                     be mapped and why, then apply it (or with --out, only write the YAML)`;

const FLAGS: Record<string, readonly string[]> = { apply: ["--dry-run", "--prune"], export: ["--include-secrets"], import: ["--dry-run", "--prune"] };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...afterCommand] = argv;
  // `import FORMAT FILE`: the format is a positional of its own; --out takes a value.
  let format: ImportFormat | undefined;
  let outFile: string | undefined;
  let rest = [...afterCommand];
  if (command === "import") {
    const given = rest.shift();
    if (!(IMPORT_FORMATS as readonly string[]).includes(given ?? "")) {
      console.error(`config: import needs a format: ${IMPORT_FORMATS.join(" or ")}`);
      console.error(USAGE);
      return 2;
    }
    format = given as ImportFormat;
    const out = rest.indexOf("--out");
    if (out >= 0) {
      outFile = rest[out + 1];
      if (outFile === undefined || outFile.startsWith("--")) {
        console.error("config: --out needs a file name");
        return 2;
      }
      rest = [...rest.slice(0, out), ...rest.slice(out + 2)];
    }
  }
  const flags = new Set(rest.filter((arg) => arg.startsWith("--")));
  const positional = rest.filter((arg) => !arg.startsWith("--"));
  const file = positional[0];
  const allowed = FLAGS[command ?? ""];
  const unknownFlags = [...flags].filter((flag) => !allowed?.includes(flag));
  if (!allowed || file === undefined || positional.length > 1 || unknownFlags.length > 0) {
    if (unknownFlags.length > 0 && allowed) console.error(`config: unknown option ${unknownFlags.join(", ")} for ${command}`);
    console.error(USAGE);
    return 2;
  }

  if (command === "import" && format) {
    const sourceName = file === "-" ? "<stdin>" : file;
    const sourceText = file === "-" ? await readStdin() : await readFile(file, "utf8");
    let result: ImportResult;
    try {
      result = importConfigText(format, sourceText);
    } catch (error) {
      console.error(`config: ${sourceName}: not a ${format} config: ${(error as Error).message}`);
      return 1;
    }
    console.error(formatImportReport(sourceName, result));
    const yamlText = importedYaml(format, sourceName, result);
    if (outFile) {
      // Validated like any config file before it is written (the ${VAR}s need not be set yet).
      parseConfigText(yamlText, { fileName: `${format} import of ${sourceName}`, env: new Proxy({}, { get: () => "set-at-apply" }) });
      await writeFile(outFile, yamlText, "utf8");
      console.error(`Wrote ${outFile}; apply it with: npm run config -- apply ${outFile}`);
      return 0;
    }
    const databaseUrl = resolveDatabaseUrl();
    return databaseUrl ? applyText(databaseUrl, yamlText, `${format} import of ${sourceName}`, flags) : 1;
  }

  const databaseUrl = resolveDatabaseUrl();
  if (!databaseUrl) return 1;

  if (command === "apply") {
    // Validate before connecting: a broken file should fail fast, whatever the database's state.
    const text = file === "-" ? await readStdin() : await readFile(file, "utf8");
    return applyText(databaseUrl, text, file === "-" ? "<stdin>" : file, flags);
  }

  const prisma = createPrismaClient(databaseUrl);
  try {
    const includeSecrets = flags.has("--include-secrets");
    const yaml = await exportConfig(prisma, { includeSecrets });
    if (file === "-") process.stdout.write(yaml);
    else {
      // Owner-only when it holds secrets.
      await writeFile(file, yaml, { encoding: "utf8", mode: includeSecrets ? 0o600 : 0o644 });
      console.error(`Exported the configuration to ${file}. ${includeSecrets ? "It CONTAINS provider key secrets in clear." : "Provider key secrets are not included."}`);
    }
  } finally {
    await prisma.$disconnect();
  }
  return 0;
}

/** DATABASE_URL, else the embedded PostgreSQL of a running `npm start` (same data dir). */
function resolveDatabaseUrl(): string | null {
  const databaseUrl = env.databaseUrl ?? embeddedDatabaseUrl();
  if (!databaseUrl) {
    console.error(
      "config: DATABASE_URL is not set and there is no embedded database in " +
        `${env.dataDir} (run \`npm start\` first, or point DATABASE_URL at Switchyard's database).`,
    );
    return null;
  }
  return databaseUrl;
}

async function applyText(databaseUrl: string, text: string, fileName: string, flags: ReadonlySet<string>): Promise<number> {
  const loaded = parseConfigText(text, { fileName });
  const prisma = createPrismaClient(databaseUrl);
  try {
    const dryRun = flags.has("--dry-run");
    const summary = await applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs, dryRun, prune: flags.has("--prune") });
    if (dryRun) {
      // Secrets generated during a dry run were rolled back with it: never print them.
      console.log(formatDryRun(summary));
      return 0;
    }
    console.log(formatApplySummary(summary));
    const secrets = formatGeneratedKeys(summary);
    if (secrets) console.log(secrets);
  } finally {
    await prisma.$disconnect();
  }
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function describeFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof ConfigApplyError) return `config: ${error.message} (nothing was applied)`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
    return `config: cannot read ${(error as NodeJS.ErrnoException).path ?? "file"}: ${code}`;
  }
  return `config: ${error instanceof Error ? error.message : String(error)}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(describeFailure(error));
    process.exitCode = 1;
  },
);
