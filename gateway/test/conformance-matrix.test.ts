// The conformance matrix (issue 3 "Done means"): every client API × every provider API family,
// non-stream and stream, with plain text, a two-turn tool call and reasoning — through the real
// `openai` and `@anthropic-ai/sdk` clients (their `.stream()` helpers included) and Gemini's
// wire format, against the strict mock of each family. Every mock follows the same script
// (gateway/testing/mock-scenarios.ts), so the same assertions hold in every cell: the content,
// the tool name and arguments, the tool result reaching the model, stop reasons and usage.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASONING_TOKENS } from "../testing/mock-scenarios";
import { startMockAnthropicUpstream } from "../testing/mock-anthropic-upstream";
import { startMockBedrockUpstream } from "../testing/mock-bedrock-upstream";
import { startMockCohereUpstream } from "../testing/mock-cohere-upstream";
import { startMockGeminiUpstream } from "../testing/mock-gemini-upstream";
import { startMockMistralUpstream } from "../testing/mock-mistral-upstream";
import { startMockOpenAIResponsesUpstream } from "../testing/mock-openai-responses-upstream";
import { anthropicDriver, geminiDriver, openAIChatDriver, openAIResponsesDriver, TOOL_RESULT, type ClientDriver } from "./conformance/client-drivers";
import { startGatewayHarness, type GatewayHarness } from "./support/gateway-harness";
import { setProviderSettings } from "./support/routing-seed";
import { insertProvider } from "./support/seed";

const SECRET = "matrix-upstream-secret-0001";
const AWS = { accessKeyId: "AKIAMATRIXTEST000001", secretAccessKey: "matrix/secret/access/key/0000000000000001", region: "eu-west-1" };

interface Family {
  /** Provider name in the gateway (clients ask for `<name>/<model>`). */
  readonly provider: string;
  readonly model: string;
  /** The family returns reasoning text (OpenAI chat only reports reasoning tokens). */
  readonly reasoningText: boolean;
}

const FAMILIES: readonly Family[] = [
  { provider: "mockai", model: "gpt-mock-1", reasoningText: false },
  { provider: "responses", model: "gpt-5-mock", reasoningText: true },
  { provider: "anthropic", model: "claude-mock-4", reasoningText: true },
  { provider: "gemini", model: "gemini-mock-pro", reasoningText: true },
  { provider: "bedrock", model: "anthropic.claude-mock-v1:0", reasoningText: true },
  { provider: "cohere", model: "command-a-reasoning-mock", reasoningText: true },
  { provider: "mistral", model: "magistral-mock", reasoningText: true },
];

let h: GatewayHarness;
const closers: Array<() => Promise<void>> = [];
let drivers: ClientDriver[] = [];

beforeAll(async () => {
  const responses = await startMockOpenAIResponsesUpstream({ apiKey: SECRET });
  const anthropic = await startMockAnthropicUpstream({ apiKey: SECRET });
  const gemini = await startMockGeminiUpstream({ apiKey: SECRET });
  const bedrock = await startMockBedrockUpstream(AWS);
  const cohere = await startMockCohereUpstream({ apiKey: SECRET });
  const mistral = await startMockMistralUpstream({ apiKey: SECRET });
  closers.push(responses.close, anthropic.close, gemini.close, bedrock.close, cohere.close, mistral.close);
  h = await startGatewayHarness({
    seed: async (db) => {
      const keys = [{ name: "main", secret: SECRET }];
      await insertProvider(db, { name: "responses", type: "openai", baseUrl: responses.url, models: ["gpt-5-mock"], keys });
      await setProviderSettings(db, "responses", { wire_api: "responses" });
      await insertProvider(db, { name: "anthropic", type: "anthropic", baseUrl: anthropic.url, models: ["claude-mock-4"], keys });
      await insertProvider(db, { name: "gemini", type: "gemini", baseUrl: gemini.url, models: ["gemini-mock-pro"], keys });
      await insertProvider(db, { name: "bedrock", type: "bedrock", baseUrl: bedrock.url, models: ["anthropic.claude-mock-v1:0"], keys: [{ name: "main", secret: `${AWS.accessKeyId}:${AWS.secretAccessKey}` }] });
      await setProviderSettings(db, "bedrock", { region: AWS.region });
      await insertProvider(db, { name: "cohere", type: "cohere", baseUrl: cohere.url, models: ["command-a-reasoning-mock"], keys });
      await insertProvider(db, { name: "mistral", type: "mistral", baseUrl: mistral.url, models: ["magistral-mock"], keys });
    },
  });
  drivers = [openAIChatDriver(h.gatewayUrl, h.virtualKey), openAIResponsesDriver(h.gatewayUrl, h.virtualKey), anthropicDriver(h.gatewayUrl, h.virtualKey), geminiDriver(h.gatewayUrl, h.virtualKey)];
}, 60_000);

afterAll(async () => {
  await h?.close();
  for (const close of closers) await close().catch(() => {});
});

const CLIENTS = ["openai_chat", "openai_responses", "anthropic_messages", "gemini"] as const;
const driver = (api: (typeof CLIENTS)[number]) => drivers.find((d) => d.api === api)!;

describe.each(CLIENTS)("client %s", (api) => {
  describe.each(FAMILIES.map((f) => [f.provider, f] as const))("→ %s", (_name, family) => {
    const model = `${family.provider}/${family.model}`;
    describe.each([false, true])("stream=%s", (stream) => {
      it("text: content, stop reason and usage arrive intact", async () => {
        const outcome = await driver(api).start({ model, stream, prompt: "hello there", withTool: false, withReasoning: false });
        expect(outcome.text).toBe("Echo: hello there");
        expect(outcome.toolCalls).toEqual([]);
        expect(outcome.stop).toBe("end");
        expect(outcome.usage.input).toBeGreaterThan(0);
        expect(outcome.usage.output).toBeGreaterThan(0);
      });

      it("tool call over two turns: name, arguments and the result reach both sides", async () => {
        const first = await driver(api).start({ model, stream, prompt: "Please use the tool for Paris", withTool: true, withReasoning: false });
        expect(first.stop).toBe("tool");
        expect(first.toolCalls).toHaveLength(1);
        expect(first.toolCalls[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
        expect(first.toolCalls[0]!.id).not.toBe("");
        const second = await first.continueWithToolResult(TOOL_RESULT);
        expect(second.stop).toBe("end");
        expect(second.toolCalls).toEqual([]);
        expect(second.text).toContain(TOOL_RESULT);
        expect(second.text).toMatch(/^Tool result: /);
      });

      it("reasoning: thinking arrives where both sides can express it, tokens counted", async () => {
        const outcome = await driver(api).start({ model, stream, prompt: "think about this", withTool: false, withReasoning: true });
        expect(outcome.text).toBe("Echo: think about this");
        expect(outcome.stop).toBe("end");
        if (family.reasoningText) expect(outcome.reasoning).toContain("Thinking about: think about this");
        else expect(outcome.reasoning).toBe("");
        // Reasoning tokens are part of the output; clients whose usage has a field for them get the count.
        expect(outcome.usage.output).toBeGreaterThanOrEqual(REASONING_TOKENS);
        if (outcome.usage.reasoning !== null && family.provider === "mockai") expect(outcome.usage.reasoning).toBe(REASONING_TOKENS);
      });

      it("tool call with reasoning on: thinking and its signature survive the round trip", async () => {
        const first = await driver(api).start({ model, stream, prompt: "Please use the tool for Paris", withTool: true, withReasoning: true });
        expect(first.toolCalls[0]).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
        const second = await first.continueWithToolResult(TOOL_RESULT);
        expect(second.text).toContain(TOOL_RESULT);
      });
    });
  });
});

