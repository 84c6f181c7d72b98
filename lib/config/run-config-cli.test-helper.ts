// Runs scripts/config.ts as a user would (a child process), for the CLI tests.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

export function runConfigCli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [tsx, "scripts/config.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: undefined, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
