// Generates the Prisma client into lib/db/generated.
//
// Why a wrapper: the Prisma CLI insists on having its native schema-engine binary
// even for `generate`, and fetches it from binaries.prisma.sh, which offline and
// locked-down installs cannot reach. Generation only needs the bundled WASM, so we
// point the CLI at a placeholder binary. Migrations do not use the schema engine
// at all (lib/db/migrate.ts applies prisma/migrations/*.sql itself).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
if (!existsSync(path.join(root, "prisma", "schema.prisma"))) process.exit(0);

let cli;
try {
  cli = require.resolve("prisma/build/index.js", { paths: [root] });
} catch {
  // `npm install --package-lock-only` and similar runs have no node_modules yet.
  console.warn("prisma is not installed yet; skipping client generation");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath; // never executed by `generate`
const result = spawnSync(process.execPath, [cli, "generate"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
process.exit(result.status ?? 1);
