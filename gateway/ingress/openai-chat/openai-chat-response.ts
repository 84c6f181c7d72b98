// Canonical response → an OpenAI `chat.completion` body, shaped as OpenAI returns it today
// (message with `refusal: null` and `annotations: []`, `logprobs: null`, usage with its
// detail objects), so SDK types and strict client-side validators accept it unchanged.
import type { CanonicalResponse, ContentBlock } from "../../formats/canonical";
import { chatCompletionId, chatUsageOf, finishReasonOf, toolCallId } from "./openai-chat-wire";

type Json = Record<string, unknown>;

/** The assistant message's parts in chat terms. */
interface ChatAssistantParts {
  readonly text: string;
  readonly reasoning: string;
  readonly toolCalls: Json[];
  /** Present only when some reasoning carries a signature or is redacted (see below). */
  readonly thinkingBlocks: Json[] | null;
}

function chatAssistantParts(content: readonly ContentBlock[]): ChatAssistantParts {
  let text = "";
  let reasoning = "";
  let needsBlocks = false;
  const toolCalls: Json[] = [];
  const thinkingBlocks: Json[] = [];
  for (const block of content) {
    switch (block.type) {
      case "text":
        text += block.text;
        break;
      case "thinking":
        reasoning += block.thinking;
        thinkingBlocks.push({ type: "thinking", thinking: block.thinking, ...(block.signature ? { signature: block.signature } : {}) });
        if (block.signature) needsBlocks = true;
        break;
      case "redacted_thinking":
        thinkingBlocks.push({ type: "redacted_thinking", data: block.data });
        needsBlocks = true;
        break;
      case "tool_use":
        toolCalls.push({ id: toolCallId(block.id), type: "function", function: { name: block.name, arguments: block.inputJson ?? JSON.stringify(block.input ?? {}) } });
        break;
      default:
        // Images and tool results are input-only; a model's answer does not contain them.
        break;
    }
  }
  return { text, reasoning, toolCalls, thinkingBlocks: needsBlocks ? thinkingBlocks : null };
}

/**
 * Reasoning goes out as `reasoning_content`: not part of OpenAI's schema, but the field
 * DeepSeek, vLLM/SGLang reasoning parsers and LiteLLM use, which chat UIs and agents already
 * read; clients that do not know it ignore it. Signed (Anthropic) or redacted reasoning also
 * goes out as LiteLLM-style `thinking_blocks`, which the decoder accepts back: a client that
 * echoes the message keeps the signature Claude requires on the next turn of a tool loop.
 */
export function encodeOpenAIChatResponse(response: CanonicalResponse, model: string): Json {
  const parts = chatAssistantParts(response.content);
  const hasToolCalls = parts.toolCalls.length > 0;
  const message: Json = {
    role: "assistant",
    // OpenAI answers `content: null` when the turn is only tool calls.
    content: parts.text === "" && hasToolCalls ? null : parts.text,
    refusal: null,
    annotations: [],
    ...(parts.reasoning === "" ? {} : { reasoning_content: parts.reasoning }),
    ...(parts.thinkingBlocks ? { thinking_blocks: parts.thinkingBlocks } : {}),
    ...(hasToolCalls ? { tool_calls: parts.toolCalls } : {}),
  };
  return {
    id: chatCompletionId(response.id),
    object: "chat.completion",
    created: response.created > 0 ? response.created : Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(response.stopReason, hasToolCalls) }],
    usage: chatUsageOf(response.usage),
  };
}
