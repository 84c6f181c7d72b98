// The one script every strict mock upstream follows (OpenAI chat, Responses, Anthropic,
// Gemini, Bedrock Converse, Cohere, Mistral), so that the conformance matrix
// (gateway/test/conformance-matrix.test.ts) can drive every client API × provider family
// with the same conversation and assert the same outcome. Each mock extracts the inputs
// below from its own wire format and renders the outcome in its own wire format.
//
//   1. The last turn carries a tool result        → text "Tool result: <result text>"
//   2. Tools are declared and the last user text
//      contains "use the tool" (any case)         → a call of the FIRST tool with
//                                                   arguments {"city":"Paris"}
//   2b. A tool named "Read" is declared and the last
//       user text says "read the file <path>"      → a call of Read with {"file_path":"<path>"}
//       (Claude Code's file tool, for its real tool round trip in the test suite)
//   2c. A tool named "exec_command" is declared and the last
//       user text says "run the command <cmd>"    → a call of exec_command with {"cmd":"<cmd>"}
//       (Codex CLI's shell tool, for its real tool round trip in the test suite)
//   3. Otherwise                                   → text "Echo: <last user text>"
// When the request asks for reasoning (the family's own switch), a reasoning block
// "Thinking about: <last user text>" comes first, where the family can express one, and
// REASONING_TOKENS are reported as reasoning in usage.

export const TOOL_TRIGGER = "use the tool";
export const MOCK_TOOL_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze({ city: "Paris" });
export const REASONING_TOKENS = 5;

export interface ScenarioInput {
  /** Text of the last user turn (text parts joined with " "). */
  readonly lastUserText: string;
  /** Text of a tool result in the last turn, or null when the last turn has none. */
  readonly toolResultText: string | null;
  /** Names of the declared tools, in order. */
  readonly toolNames: readonly string[];
  readonly wantsReasoning: boolean;
}

export type ScenarioOutcome =
  | { readonly kind: "text"; readonly text: string; readonly reasoning: string | null }
  | { readonly kind: "tool_call"; readonly toolName: string; readonly arguments: Readonly<Record<string, unknown>>; readonly reasoning: string | null };

export function scenarioOutcome(input: ScenarioInput): ScenarioOutcome {
  const reasoning = input.wantsReasoning ? `Thinking about: ${input.lastUserText}` : null;
  if (input.toolResultText !== null) return { kind: "text", text: `Tool result: ${input.toolResultText}`, reasoning };
  const readPath = /read the file (\S+)/i.exec(input.lastUserText)?.[1];
  if (readPath !== undefined && input.toolNames.includes("Read")) {
    return { kind: "tool_call", toolName: "Read", arguments: { file_path: readPath }, reasoning };
  }
  const command = /run the command (.+)$/im.exec(input.lastUserText)?.[1]?.trim();
  if (command !== undefined && input.toolNames.includes("exec_command")) {
    return { kind: "tool_call", toolName: "exec_command", arguments: { cmd: command }, reasoning };
  }
  const firstTool = input.toolNames[0];
  if (firstTool !== undefined && input.lastUserText.toLowerCase().includes(TOOL_TRIGGER)) {
    return { kind: "tool_call", toolName: firstTool, arguments: MOCK_TOOL_ARGUMENTS, reasoning };
  }
  return { kind: "text", text: `Echo: ${input.lastUserText}`, reasoning };
}

/** Stable token count: whitespace-separated words, at least 1. */
export function scenarioTokens(text: string): number {
  return Math.max(text.trim().split(/\s+/).filter(Boolean).length, 1);
}

/** Splits text into stream pieces of a few words each (streams must have several deltas). */
export function streamPiecesOf(text: string, wordsPerPiece = 2): string[] {
  const words = text.split(/(?<=\s)/);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) pieces.push(words.slice(i, i + wordsPerPiece).join(""));
  return pieces.length > 0 ? pieces : [""];
}

/** Tool arguments streamed as JSON fragments (real providers split them mid-token). */
export function argumentPieces(args: Readonly<Record<string, unknown>>): string[] {
  const json = JSON.stringify(args);
  const cut = Math.max(1, Math.floor(json.length / 3));
  return [json.slice(0, cut), json.slice(cut, cut * 2), json.slice(cut * 2)];
}
