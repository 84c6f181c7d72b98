import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{lib,gateway,scripts,app,components}/**/*.test.{ts,tsx}"],
    exclude: ["node_modules", ".next", ".build", "e2e", "lib/db/generated"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database tests each create their own database, so files can run in parallel;
    // two workers match the 2-core CI machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
