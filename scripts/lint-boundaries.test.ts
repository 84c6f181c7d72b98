// The boundary rules are only worth something if they fire: lint small snippets
// placed at the paths the rules are about and expect (or not) a violation.
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it("stops the gateway from importing the dashboard", async () => {
    expect(await restrictedImportErrors("gateway/x.ts", 'import { a } from "../app/page";\nexport { a };\n')).toHaveLength(1);
    expect(await restrictedImportErrors("gateway/x.ts", 'import { a } from "@/components/nav";\nexport { a };\n')).toHaveLength(1);
  });

  it("stops the dashboard from importing the gateway", async () => {
    expect(await restrictedImportErrors("app/x.tsx", 'import { a } from "../gateway/server";\nexport { a };\n')).toHaveLength(1);
    expect(await restrictedImportErrors("components/x.tsx", 'import { a } from "@/gateway/server";\nexport { a };\n')).toHaveLength(1);
  });

  it("keeps React out of lib", async () => {
    expect(await restrictedImportErrors("lib/x.ts", 'import { useState } from "react";\nexport { useState };\n')).toHaveLength(1);
  });

  it("allows the sanctioned directions", async () => {
    expect(await restrictedImportErrors("gateway/x.ts", 'import { env } from "../lib/env";\nexport { env };\n')).toEqual([]);
    expect(await restrictedImportErrors("app/x.tsx", 'import { env } from "@/lib/env";\nexport { env };\n')).toEqual([]);
    expect(await restrictedImportErrors("components/x.tsx", 'import { useState } from "react";\nexport { useState };\n')).toEqual([]);
  });
});
