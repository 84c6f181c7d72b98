import { describe, expect, it } from "vitest";
import { splitSseFrames } from "./response-recorder";

describe("splitSseFrames", () => {
  it("splits a body into whole events whatever the line endings, keeping every byte", () => {
    const body = Buffer.from('data: {"a":1}\n\nevent: ping\r\ndata: x\r\n\r\ndata: [DONE]\n\n');
    const frames = splitSseFrames(body);
    expect(frames.map((f) => f.toString())).toEqual(['data: {"a":1}\n\n', "event: ping\r\ndata: x\r\n\r\n", "data: [DONE]\n\n"]);
    expect(Buffer.concat(frames).equals(body)).toBe(true);
  });

  it("keeps a trailing partial event and multi-byte characters intact", () => {
    const body = Buffer.from("data: héllo ✓\n\ndata: tail");
    const frames = splitSseFrames(body);
    expect(frames.map((f) => f.toString("utf8"))).toEqual(["data: héllo ✓\n\n", "data: tail"]);
  });
});
