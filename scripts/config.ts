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
  formatGeneratedKeys,
  parseConfigText,
} from "../lib/config";
import { createPrismaClient } from "../lib/db/client";
import { embeddedDatabaseUrl } from "../lib/db/embedded-url";
import { env } from "../lib/env";

const USAGE = `usage: npm run config -- apply FILE
       npm run config -- export FILE
FILE "-" means stdin for apply and stdout for export. Uses DATABASE_URL, or else the
embedded PostgreSQL of a running \`npm start\` (SWITCHYARD_DATA_DIR, SWITCHYARD_PG_PORT).`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, file, ...extra] = argv;
  if ((command !== "apply" && command !== "export") || file === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  // DATABASE_URL, else the embedded PostgreSQL of a running `npm start` (same data dir).
  const databaseUrl = env.databaseUrl ?? embeddedDatabaseUrl();
  if (!databaseUrl) {
    console.error(
      "config: DATABASE_URL is not set and there is no embedded database in " +
        `${env.dataDir} (run \`npm start\` first, or point DATABASE_URL at Switchyard's database).`,
    );
    return 1;
  }

  if (command === "apply") {
    // Validate before connecting: a broken file should fail fast, whatever the database's state.
    const text = file === "-" ? await readStdin() : await readFile(file, "utf8");
    const loaded = parseConfigText(text, { fileName: file === "-" ? "<stdin>" : file });
    const prisma = createPrismaClient(databaseUrl);
    try {
      const summary = await applyConfig(prisma, loaded.document, { secretRefs: loaded.secretRefs });
      console.log(formatApplySummary(summary));
      const secrets = formatGeneratedKeys(summary);
      if (secrets) console.log(secrets);
    } finally {
      await prisma.$disconnect();
    }
    return 0;
  }

  const prisma = createPrismaClient(databaseUrl);
  try {
    const yaml = await exportConfig(prisma);
    if (file === "-") process.stdout.write(yaml);
    else {
      await writeFile(file, yaml, "utf8");
      console.error(`Exported the configuration to ${file}. Provider key secrets are not included.`);
    }
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
