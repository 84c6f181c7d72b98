import { describe, expect, it } from "vitest";
import { buildModelAliasMap, resolveModelAlias, validateModelAliases } from "./model-aliases";

describe("model aliases", () => {
  it("resolves an alias once and leaves other models alone", () => {
    const aliases = buildModelAliasMap({ fast: "openai/gpt-4o-mini", smart: "claude-sonnet-4" });
    expect(resolveModelAlias("fast", aliases)).toEqual({ model: "openai/gpt-4o-mini", alias: { from: "fast", to: "openai/gpt-4o-mini" } });
    expect(resolveModelAlias("gpt-4o", aliases)).toEqual({ model: "gpt-4o", alias: null });
    expect(resolveModelAlias("fast", undefined)).toEqual({ model: "fast", alias: null });
  });

  it("resolves one level deep only, so chains and cycles terminate", () => {
    const chain = buildModelAliasMap({ a: "b", b: "c" });
    expect(resolveModelAlias("a", chain).model).toBe("b");
    const cycle = buildModelAliasMap([
      ["x", "y"],
      ["y", "x"],
    ]);
    expect(resolveModelAlias("x", cycle).model).toBe("y");
    expect(resolveModelAlias("y", cycle).model).toBe("x");
  });

  it("builds from a record, a map or entries: trimmed, first wins, self-references dropped", () => {
    const map = buildModelAliasMap([
      [" fast ", " gpt-4o-mini "],
      ["fast", "other"],
      ["loop", "loop"],
      ["", "x"],
    ]);
    expect([...map]).toEqual([["fast", "gpt-4o-mini"]]);
    expect([...buildModelAliasMap(new Map([["a", "m"]]))]).toEqual([["a", "m"]]);
  });

  it("accepts a valid map", () => {
    expect(validateModelAliases({ fast: "openai/gpt-4o-mini", smart: "claude-sonnet-4" })).toEqual([]);
  });

  it("reports blanks, duplicates, self-references, chains and cycles", () => {
    const problems = validateModelAliases([
      ["", "m"],
      ["empty", " "],
      ["dup", "m1"],
      ["dup", "m2"],
      ["self", "self"],
      ["a", "b"],
      ["b", "m"],
      ["x", "y"],
      ["y", "z"],
      ["z", "x"],
      ["into", "x"],
    ]);
    const byAlias = (alias: string) => problems.filter((p) => p.alias === alias).map((p) => p.message);
    expect(byAlias("")).toEqual(["Alias name is empty"]);
    expect(byAlias("empty")[0]).toMatch(/no target/);
    expect(byAlias("dup")[0]).toMatch(/more than once/);
    expect(byAlias("self")[0]).toMatch(/itself/);
    expect(byAlias("a")[0]).toMatch(/points to alias 'b'/);
    expect(byAlias("b")).toEqual([]);
    for (const member of ["x", "y", "z"]) expect(byAlias(member)).toEqual([expect.stringMatching(/cycle: .*→/)]);
    expect(byAlias("into")[0]).toMatch(/points to alias 'x'/);
  });
});
