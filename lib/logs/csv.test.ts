import { describe, expect, it } from "vitest";
import { csvField, csvLine, csvStream } from "./csv";

describe("csvField", () => {
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("neutralises text that spreadsheets would run as formulas, but not numbers", () => {
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField("@cmd")).toBe("'@cmd");
    expect(csvField("+1,2")).toBe(`"'+1,2"`);
    expect(csvField(-3)).toBe("-3");
  });
});

describe("csvStream", () => {
  it("writes the header, then every batch, with CRLF line ends", async () => {
    async function* batches() {
      yield [{ a: 1, b: "x" }];
      yield [{ a: 2, b: "y,z" }];
    }
    const text = await new Response(csvStream(["a", "b"], batches(), (r) => [r.a, r.b])).text();
    expect(text).toBe(`a,b\r\n1,x\r\n2,"y,z"\r\n`);
    expect(csvLine(["q"])).toBe("q\r\n");
  });
});
