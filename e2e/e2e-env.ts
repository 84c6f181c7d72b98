// What the global setup (scripts/e2e-stack.ts) hands the specs.
export interface E2eEnv {
  dashboardUrl: string;
  gatewayUrl: string;
  adminEmail: string;
  adminPassword: string;
  virtualKey: string;
  model: string;
  /** Model of a request made before the stack restarted (optional). */
  preRestartModel?: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through \`npm run test:e2e\` (its global setup starts the stack)`);
  return value;
}

export function e2eEnv(): E2eEnv {
  return {
    dashboardUrl: required("E2E_DASHBOARD_URL").replace(/\/+$/, ""),
    gatewayUrl: required("E2E_GATEWAY_URL").replace(/\/+$/, ""),
    adminEmail: required("E2E_ADMIN_EMAIL"),
    adminPassword: required("E2E_ADMIN_PASSWORD"),
    virtualKey: required("E2E_VIRTUAL_KEY"),
    model: required("E2E_MODEL"),
    preRestartModel: process.env.E2E_PRE_RESTART_MODEL || undefined,
  };
}
