import { describe, expect, it } from "vitest";
import { auditChanges } from "./audit-diff";

describe("auditChanges", () => {
  it("lists only the fields that differ, ignoring updated_at", () => {
    expect(
      auditChanges({ name: "a", models: ["*"], updated_at: "1", same: 1 }, { name: "b", models: ["gpt-*"], updated_at: "2", same: 1, extra: true }),
    ).toEqual([
      { field: "name", before: '"a"', after: '"b"' },
      { field: "models", before: '["*"]', after: '["gpt-*"]' },
      { field: "extra", before: null, after: "true" },
    ]);
  });

  it("treats a missing or non-object snapshot as empty", () => {
    expect(auditChanges(null, { a: 1 })).toEqual([{ field: "a", before: null, after: "1" }]);
    expect(auditChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
