// One Prisma client per process, on the `pg` driver adapter (Prisma 7 has no Rust engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { requireDatabaseUrl } from "../env";

export type { PrismaClient } from "./generated/client";
export { Prisma } from "./generated/client";

const globalForPrisma = globalThis as unknown as { switchyardPrisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string = requireDatabaseUrl()): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10 });
  return new PrismaClient({ adapter });
}

/** Shared client; Next.js dev reloads modules, so it is cached on globalThis. */
export function getPrisma(): PrismaClient {
  globalForPrisma.switchyardPrisma ??= createPrismaClient();
  return globalForPrisma.switchyardPrisma;
}
