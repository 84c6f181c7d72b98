// Reading an OpenAI-style chat completion stream (server-sent events) in the browser, as
// the playground receives it from its relay: text deltas as they arrive, the final usage
// chunk, and the relay's trailers event (cost). Chunks split events anywhere, even inside a
// UTF-8 character, so bytes are decoded in streaming mode and events cut at blank lines.
import { PLAYGROUND_TRAILERS_EVENT } from "./playground-protocol";

export interface SseEvent {
  event: string;
  data: string;
}

/** Incremental SSE parser: feed text, get the events completed so far. */
export function createSseParser(): { push(text: string): SseEvent[]; end(): SseEvent[] } {
  let buffer = "";
  const parseBlock = (block: string): SseEvent | null => {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    return data.length > 0 ? { event, data: data.join("\n") } : null;
  };
  const drain = (final: boolean): SseEvent[] => {
    buffer = buffer.replace(/\r\n?/g, "\n");
    const blocks = buffer.split("\n\n");
    buffer = final ? "" : (blocks.pop() ?? "");
    return blocks.map(parseBlock).filter((e): e is SseEvent => e !== null);
  };
  return { push: (text) => ((buffer += text), drain(false)), end: () => drain(true) };
}

export interface StreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export interface StreamCallbacks {
  onDelta(text: string): void;
  onUsage?(usage: StreamUsage): void;
  onTrailers?(trailers: Record<string, string>): void;
  /** An `error` object inside the stream (the provider failed mid-answer). */
  onStreamError?(message: string): void;
}

interface ChatChunk {
  choices?: { delta?: { content?: string | null; reasoning_content?: string | null } }[];
  usage?: StreamUsage | null;
  error?: { message?: string };
}

/** Applies one parsed event; answers true at `data: [DONE]`. */
export function applyChatEvent(event: SseEvent, callbacks: StreamCallbacks): boolean {
  if (event.event === PLAYGROUND_TRAILERS_EVENT) {
    try {
      callbacks.onTrailers?.(JSON.parse(event.data) as Record<string, string>);
    } catch {
      // A malformed trailers event only loses the cost display.
    }
    return false;
  }
  if (event.data === "[DONE]") return true;
  let chunk: ChatChunk;
  try {
    chunk = JSON.parse(event.data) as ChatChunk;
  } catch {
    return false;
  }
  if (chunk.error) callbacks.onStreamError?.(chunk.error.message ?? "The stream ended with an error");
  const text = chunk.choices?.[0]?.delta?.content;
  if (text) callbacks.onDelta(text);
  if (chunk.usage) callbacks.onUsage?.(chunk.usage);
  return false;
}

/** Reads the whole body, calling back as events complete. Trailers come after [DONE], so it reads to the end. */
export async function readChatStream(body: ReadableStream<Uint8Array>, callbacks: StreamCallbacks): Promise<void> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
    for (const event of events) applyChatEvent(event, callbacks);
    if (done) return;
  }
}
