// Server-sent events, decoded once here (STYLE §3) so that no adapter parses SSE by hand.
//
// The decoder is incremental: upstream bytes arrive in arbitrary chunks, and an event,
// a line or even a multi-byte UTF-8 character may be split across two of them. It keeps
// only the unfinished tail, never the whole stream.

export interface SseEvent {
  /** `event:` field; undefined when the event had none (OpenAI never sends one). */
  event: string | undefined;
  /** `data:` lines joined with "\n", per the EventSource spec. */
  data: string;
  id: string | undefined;
}

export interface SseDecoder {
  /** Feed raw bytes; returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[];
  /** End of stream: returns a final event that lacked its blank line, if any. */
  end(): SseEvent[];
}

export function createSseDecoder(): SseDecoder {
  const utf8 = new TextDecoder("utf-8");
  let buffer = "";
  let dataLines: string[] = [];
  let eventName: string | undefined;
  let eventId: string | undefined;
  let sawField = false;

  function dispatch(out: SseEvent[]): void {
    if (sawField && dataLines.length > 0) {
      out.push({ event: eventName, data: dataLines.join("\n"), id: eventId });
    }
    dataLines = [];
    eventName = undefined;
    sawField = false;
  }

  function processLine(line: string, out: SseEvent[]): void {
    if (line === "") return dispatch(out);
    if (line.startsWith(":")) return; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    sawField = true;
    if (field === "data") dataLines.push(value);
    else if (field === "event") eventName = value;
    else if (field === "id") eventId = value;
  }

  function drainLines(out: SseEvent[]): void {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      // A lone trailing "\r" might be the first half of "\r\n": wait for more input.
      if (ch === 13 && i === buffer.length - 1) break;
      processLine(buffer.slice(start, i), out);
      if (ch === 13 && buffer.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  }

  return {
    push(chunk) {
      buffer += typeof chunk === "string" ? chunk : utf8.decode(chunk, { stream: true });
      const out: SseEvent[] = [];
      drainLines(out);
      return out;
    },
    end() {
      buffer += utf8.decode();
      const out: SseEvent[] = [];
      drainLines(out);
      if (buffer !== "") {
        processLine(buffer, out);
        buffer = "";
      }
      dispatch(out);
      return out;
    },
  };
}

/** Encodes one `data:` event; multi-line payloads become several data lines. */
export function encodeSseData(data: string): string {
  return data.split("\n").map((line) => `data: ${line}`).join("\n") + "\n\n";
}

export const SSE_DONE = "[DONE]";
