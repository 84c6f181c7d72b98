// Playwright global setup: the whole product as a user runs it.
//
// Starts a strict mock OpenAI upstream, then `npm start` (scripts/start.ts) with no
// DATABASE_URL, so the embedded PostgreSQL path is what gets tested, with a config file
// and first-admin credentials. It then proves the lifecycle before any spec runs:
//   1. a request goes through the gateway,
//   2. SIGTERM stops everything with exit code 0 (PostgreSQL included),
//   3. a second start on the same data dir comes up with the data still there
//      (the spec looks for the pre-restart request on the logs page).
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./support/embedded-postgres";
import { waitForHttp } from "./support/wait-for-http";

const root = path.resolve(import.meta.dirname, "..");
const VIRTUAL_KEY = "sk-sy-e2e0000000000000000000000000000000000000000";
const ADMIN_EMAIL = "admin@e2e.switchyard.test";
const ADMIN_PASSWORD = "e2e-admin-password-123";

interface Stack {
  process: ChildProcess;
  output: string[];
}

function tsx(script: string, args: string[], env: NodeJS.ProcessEnv, label: string): Stack {
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, script), ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (process.env.E2E_VERBOSE) process.stdout.write(`[${label}] ${text}`);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { process: child, output };
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("killed after timeout");
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? String(signal));
    });
  });
}

async function startProduct(env: NodeJS.ProcessEnv, gatewayPort: number, dashboardPort: number): Promise<Stack> {
  const stack = tsx("scripts/start.ts", [], env, "start");
  const exited = exitOf(stack.process, 600_000).then((code) => {
    throw new Error(`npm start exited early (${code}):\n${stack.output.join("").slice(-4000)}`);
  });
  await Promise.race([
    Promise.all([
      waitForHttp(`http://127.0.0.1:${gatewayPort}/ready`, 240_000),
      waitForHttp(`http://127.0.0.1:${dashboardPort}/api/health`, 240_000),
    ]),
    exited,
  ]);
  exited.catch(() => undefined);
  return stack;
}

async function chat(gatewayUrl: string, model: string, content: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${VIRTUAL_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }] }),
  });
  if (response.status !== 200) throw new Error(`pre-restart request failed: ${response.status} ${await response.text()}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-e2e-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root
  const [upstreamPort, gatewayPort, dashboardPort, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  const upstream = tsx("gateway/testing/mock-openai-upstream.ts", ["--port", String(upstreamPort)], { ...process.env }, "mock");
  await waitForHttp(`http://127.0.0.1:${upstreamPort}/health`, 30_000).catch(async () => {
    // The mock has no /health on every version; fall back to checking the port answers at all.
    await waitForHttp(`http://127.0.0.1:${upstreamPort}/v1/models`, 5_000).catch(() => undefined);
  });

  const configFile = path.join(dataDir, "switchyard.yaml");
  writeFileSync(
    configFile,
    [
      "providers:",
      "  - name: mock",
      "    type: openai-compatible",
      `    base_url: http://127.0.0.1:${upstreamPort}/v1`,
      "    models: [gpt-test]",
      "    keys:",
      '      - { name: main, value: "${E2E_UPSTREAM_KEY}", weight: 1 }',
      "pricing:",
      "  - { model: mock/gpt-test, input_per_mtok: 2.5, output_per_mtok: 10 }",
      "  - { model: mock/gpt-before-restart, input_per_mtok: 2.5, output_per_mtok: 10 }",
      "teams:",
      "  - name: e2e-team",
      "virtual_keys:",
      "  - name: e2e-key",
      "    team: e2e-team",
      `    value: ${VIRTUAL_KEY}`,
      '    models: ["*"]',
      "",
    ].join("\n"),
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: "",
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_PG_PORT: String(pgPort),
    GATEWAY_PORT: String(gatewayPort),
    DASHBOARD_PORT: String(dashboardPort),
    SWITCHYARD_CONFIG: configFile,
    SWITCHYARD_ADMIN_EMAIL: ADMIN_EMAIL,
    SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    E2E_UPSTREAM_KEY: "upstream-secret-e2e",
    NEXTAUTH_URL: `http://localhost:${dashboardPort}`,
  };
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

  let stack = await startProduct(env, gatewayPort, dashboardPort);
  await chat(gatewayUrl, "mock/gpt-before-restart", "written before the restart");
  stack.process.kill("SIGTERM");
  const firstExit = await exitOf(stack.process, 60_000);
  if (firstExit !== 0) {
    throw new Error(`npm start did not stop cleanly on SIGTERM (${firstExit}):\n${stack.output.join("").slice(-4000)}`);
  }
  stack = await startProduct(env, gatewayPort, dashboardPort);

  process.env.E2E_DASHBOARD_URL = `http://localhost:${dashboardPort}`;
  process.env.E2E_GATEWAY_URL = gatewayUrl;
  process.env.E2E_ADMIN_EMAIL = ADMIN_EMAIL;
  process.env.E2E_ADMIN_PASSWORD = ADMIN_PASSWORD;
  process.env.E2E_VIRTUAL_KEY = VIRTUAL_KEY;
  process.env.E2E_MODEL = "mock/gpt-test";
  process.env.E2E_PRE_RESTART_MODEL = "gpt-before-restart";

  return async () => {
    stack.process.kill("SIGTERM");
    const code = await exitOf(stack.process, 60_000);
    upstream.process.kill("SIGTERM");
    await exitOf(upstream.process, 10_000);
    rmSync(dataDir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`npm start did not stop cleanly at teardown (${code})`);
  };
}
