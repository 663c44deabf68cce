import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "app/generated/**",
      "node_modules/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // A swallowed error hides a failed money movement or a lost audit row.
      "no-empty": ["error", { allowEmptyCatch: false }],
      // The step-up guard refuses by throwing a redirect from a promise (it audits the refusal first, ADR 089): called
      // without await, its refusal would be lost and the form acted on without a fresh step-up.
      "no-restricted-syntax": [
        "error",
        {
          selector: ':not(AwaitExpression) > CallExpression[callee.name="requireStepUp"]',
          message: "await requireStepUp(...): without await its refusal is lost and the action goes ahead.",
        },
      ],
    },
  },
  {
    // Layering: routes and the root read and write through their capability's services (app/<capability>/*.server.ts),
    // never through the database module directly.
    files: ["app/routes/**/*.ts", "app/routes/**/*.tsx", "app/root.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "~/db.server",
              message: "Routes go through their capability's services (app/<capability>/*.server.ts).",
            },
          ],
          // The database layer behind it too (raw SQL runners, pools, migrations): the same rule by another door.
          patterns: [
            {
              group: ["~/db/*"],
              message: "Routes go through their capability's services (app/<capability>/*.server.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    // Shared UI is rendered in the browser too: it must never pull in server-only code.
    files: ["app/components/**/*.ts", "app/components/**/*.tsx", "app/lib/format.ts"],
    rules: {
      // Browser-reachable modules must not import server-only code.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/db.server", "**/*.server"], message: "server-only module" }] },
      ],
    },
  },
);
