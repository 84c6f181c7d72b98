import { defineConfig } from "prisma/config";

// The CLI is used only for `generate` (see scripts/prisma-generate.mjs);
// the URL below matters only to ad-hoc CLI use such as `prisma studio`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/switchyard" },
});
