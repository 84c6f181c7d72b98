// Claude Code through the gateway (issue 3 "Done means", PRODUCT S1): the real CLI
// (devDependency @anthropic-ai/claude-code, offline) run non-interactively with
// ANTHROPIC_BASE_URL pointing at /anthropic, its Claude models routed to the strict Mistral
// mock with thinking on and the default effort — one plain prompt and one real tool round
// trip (the mock asks Claude Code's Read tool for a file, Claude Code reads it and sends the
// result back) — and a prompt routed to the strict OpenAI chat mock.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockMistralUpstream, type MockMistralUpstream } from "../testing/mock-mistral-upstream";
import { CATALOG_MODEL, PROVIDER_NAME, startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { insertRoutingRule } from "./support/routing-seed";
import { insertProvider } from "./support/seed";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CLAUDE_BIN = path.join(root, "node_modules", ".bin", "claude");
const MISTRAL_SECRET = "mistral-upstream-secret-claude-code";

let h: GatewayHarness;
let mistral: MockMistralUpstream;
let home: string;
let workdir: string;

interface ClaudeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: { result?: string; is_error?: boolean; num_turns?: number } | null;
}

function runClaude(prompt: string, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<ClaudeResult> {
  return new Promise((resolve) => {
    const child = spawn(CLAUDE_BIN, ["-p", prompt, "--output-format", "json", "--max-turns", "4", ...extraArgs], {
      cwd: workdir,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "",
        HOME: home,
        ANTHROPIC_BASE_URL: `${h.gatewayUrl}/anthropic`,
        ANTHROPIC_API_KEY: h.virtualKey,
        // Thinking on (S1): Claude Code then sends `thinking` on every turn.
        MAX_THINKING_TOKENS: "2048",
        DISABLE_TELEMETRY: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_ERROR_REPORTING: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      let json: ClaudeResult["json"] = null;
      try {
        json = JSON.parse(stdout.trim().split("\n").pop() ?? "") as ClaudeResult["json"];
      } catch {
        json = null;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

beforeAll(async () => {
  mistral = await startMockMistralUpstream({ apiKey: MISTRAL_SECRET });
  h = await startGatewayHarness({
    seed: async (db) => {
      await insertProvider(db, { name: "mistral", type: "mistral", baseUrl: mistral.url, models: ["devstral-2512"], keys: [{ name: "main", secret: MISTRAL_SECRET }] });
      await insertRoutingRule(db, { name: "claude-to-mistral", condition: 'model.startsWith("claude-")', targets: [{ provider: "mistral", model: "devstral-2512" }] });
    },
  });
  home = mkdtempSync(path.join(os.tmpdir(), "sy-claude-home-"));
  workdir = mkdtempSync(path.join(os.tmpdir(), "sy-claude-work-"));
  writeFileSync(path.join(workdir, "notes.txt"), "the secret word is aubergine\n");
}, 60_000);

afterAll(async () => {
  await h?.close();
  await mistral?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe("Claude Code through the gateway", () => {
  it("completes a prompt routed to the strict Mistral mock, thinking on", async () => {
    const result = await runClaude("say hello to the gateway");
    expect(result.json, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).not.toBeNull();
    expect(result.json!.is_error, result.stdout).toBe(false);
    expect(result.json!.result).toContain("Echo:");
    expect(result.code).toBe(0);
    const sent = mistral.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body as Record<string, unknown>);
    expect(sent.length).toBeGreaterThan(0);
    // Every request Claude Code made reached Mistral in a form the strict mock accepted.
    expect(sent.some((b) => b.reasoning_effort === "high")).toBe(true);
  }, 120_000);

  it("completes a tool round trip: the model asks for Read, Claude Code reads the file and answers", async () => {
    const file = path.join(workdir, "notes.txt");
    const result = await runClaude(`read the file ${file}`, ["--allowedTools", "Read"]);
    expect(result.json, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).not.toBeNull();
    expect(result.json!.is_error, result.stdout).toBe(false);
    // The mock answers a tool result with "Tool result: <what the tool returned>".
    expect(result.json!.result).toContain("Tool result:");
    expect(result.json!.result).toContain("aubergine");
    expect(result.json!.num_turns).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("completes a prompt routed to the strict OpenAI chat mock", async () => {
    const result = await runClaude("hello openai", ["--model", `${PROVIDER_NAME}/${CATALOG_MODEL}`], { MAX_THINKING_TOKENS: "0" });
    expect(result.json, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).not.toBeNull();
    expect(result.json!.is_error, result.stdout).toBe(false);
    expect(result.json!.result).toContain("hello openai");
  }, 120_000);
});
