// Environment contract of PRODUCT §10. Every process reads configuration through here
// so that defaults live in one place.
import path from "node:path";

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

export const env = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL || undefined;
  },
  get redisUrl(): string | undefined {
    return process.env.REDIS_URL || undefined;
  },
  get gatewayPort(): number {
    return intFromEnv("GATEWAY_PORT", 8080);
  },
  get dashboardPort(): number {
    return intFromEnv("DASHBOARD_PORT", 3000);
  },
  get dataDir(): string {
    return path.resolve(process.env.SWITCHYARD_DATA_DIR || ".data");
  },
  get configFile(): string | undefined {
    return process.env.SWITCHYARD_CONFIG || undefined;
  },
  get adminToken(): string | undefined {
    return process.env.SWITCHYARD_ADMIN_TOKEN || undefined;
  },
  get adminEmail(): string | undefined {
    return process.env.SWITCHYARD_ADMIN_EMAIL || undefined;
  },
  get adminPassword(): string | undefined {
    return process.env.SWITCHYARD_ADMIN_PASSWORD || undefined;
  },
};

export function requireDatabaseUrl(): string {
  const url = env.databaseUrl;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)");
  return url;
}
