// Lint, and the import boundaries of DESIGN.md ("Layout"):
//   gateway/ never imports app/ or components/; app/ and components/ never import
//   gateway/; lib/ imports no React. scripts/lint-boundaries.test.ts proves they bite.
import tseslint from "typescript-eslint";

const gatewayMayNotImport = {
  regex: "(^@/|/|^)(app|components)(/|$)",
  message: "gateway/ must not import the dashboard (app/, components/); share code through lib/.",
};
const dashboardMayNotImport = {
  regex: "(^@/|/|^)gateway(/|$)",
  message: "app/ and components/ must not import gateway/; talk to it over HTTP or share code through lib/.",
};
const libMayNotImport = {
  regex: "^(react|react-dom|next)(/.*)?$",
  message: "lib/ is React-free shared code; put UI code in components/.",
};

export default tseslint.config(
  {
    ignores: ["node_modules/**", ".next/**", ".data/**", "lib/db/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "bench-results/**", ".build/**"],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["gateway/**/*.{ts,tsx,mts,js,mjs}"],
    rules: { "no-restricted-imports": ["error", { patterns: [gatewayMayNotImport] }] },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [dashboardMayNotImport] }] },
  },
  {
    files: ["lib/**/*.{ts,tsx,mts}"],
    rules: { "no-restricted-imports": ["error", { patterns: [libMayNotImport] }] },
  },
);
