import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { parseChatRequest } from "./decode-chat-request";

const parse = (text: string) => parseChatRequest(Buffer.from(text));

function failure(text: string): { status: number; code: string | null; param: string | null } {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof GatewayError) return { status: error.status, code: error.code, param: error.param };
    throw error;
  }
  throw new Error("expected a failure");
}

describe("parseChatRequest", () => {
  it("keeps the body as sent and reads model and stream", () => {
    const request = parse('{"model":" gpt-4o ","messages":[{"role":"user","content":"x"}],"stream":true,"custom":1}');
    expect(request.model).toBe("gpt-4o");
    expect(request.stream).toBe(true);
    expect(request.body.custom).toBe(1);
  });

  it.each([
    ["{not json", 400, "invalid_json", null],
    ["[1,2]", 400, "invalid_request", null],
    ['{"messages":[{"role":"user"}]}', 400, "invalid_request", "model"],
    ['{"model":"m"}', 400, "invalid_request", "messages"],
    ['{"model":"m","messages":[]}', 400, "invalid_request", "messages"],
    ['{"model":"m","messages":[{}],"stream":"yes"}', 400, "invalid_request", "stream"],
  ])("rejects %s", (text, status, code, param) => {
    expect(failure(text)).toEqual({ status, code, param });
  });
});
