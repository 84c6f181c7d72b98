// `npm test`: everything CI checks, in order, failing fast.
//
//   1. lint (including the import-boundary rules of DESIGN.md)
//   2. typecheck
//   3. vitest: unit + integration tests against real PostgreSQL
//      (DATABASE_URL when set, else an embedded server started here)
//   4. dashboard production build + Playwright against `npm start` (embedded PostgreSQL)
//
// `npm test -- --skip-e2e` stops after step 3.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./support/embedded-postgres";

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));

function bin(pkg: string, file: string): string {
  return path.join(root, "node_modules", pkg, file);
}

function step(name: string, command: string[], extraEnv: Record<string, string> = {}): Promise<void> {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv },
      stdio: "inherit",
    });
    child.on("exit", (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        console.log(`━━ ${name}: ok (${seconds} s)`);
        resolve();
      } else reject(new Error(`${name} failed (${signal ?? `exit code ${code}`}) after ${seconds} s`));
    });
  });
}

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  try {
    await step("lint", [bin("eslint", "bin/eslint.js"), "--max-warnings=0", "."]);
    await step("typecheck", [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."]);

    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      embeddedDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-test-pg-"));
      // mkdtemp makes it 0700; as root, PostgreSQL runs as the postgres user and must get in.
      chmodSync(embeddedDir, 0o755);
      console.log(`\nDATABASE_URL is not set: starting an embedded PostgreSQL for the tests in ${embeddedDir}`);
      embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, port: 0, database: "postgres" });
      databaseUrl = embedded.url;
    }
    await step("unit and integration tests (vitest)", [bin("vitest", "vitest.mjs"), "run"], { DATABASE_URL: databaseUrl });

    if (args.has("--skip-e2e")) {
      console.log("\nskipping the dashboard build and Playwright (--skip-e2e)");
      return;
    }
    await step("dashboard build", [bin("next", "dist/bin/next"), "build"]);
    // The end-to-end run exercises `npm start` itself, on its embedded PostgreSQL.
    await step("end-to-end tests (Playwright)", [bin("@playwright/test", "cli.js"), "test"], { DATABASE_URL: "" });
  } finally {
    if (embedded) await embedded.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  }
}

main().then(
  () => console.log("\nall checks passed"),
  (error: unknown) => {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
