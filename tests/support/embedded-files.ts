// The integration files the embedded stage of `npm test` runs (docs/decisions/058-embedded-stage-a-named-set.md).
// Every integration file runs on PostgreSQL, the engine of production and of every concurrency claim. The embedded
// PGlite engine runs the same SQL; what differs is the adapter layer in between (app/db/open-database.server.ts,
// app/db/sql-runner.server.ts). So on the embedded engine the suite runs the contract of that layer, plus the
// quick-start user's main path once per capability. `npm run test:embedded-all` runs every integration file on the
// embedded engine: run it when you change the adapter layer or upgrade PGlite, Prisma or their adapters.
//
// vitest.config.ts reads this list when FIREBREAK_TEST_SET=embedded; tests/unit/embedded-files.test.ts checks that
// every file listed exists.
export interface EmbeddedFile {
  file: string;
  /** Why this file runs on the embedded engine too. */
  why: string;
}

export const EMBEDDED_INTEGRATION_FILES: readonly EmbeddedFile[] = [
  { file: "tests/integration/engine-contract.test.ts", why: "the adapter layer's contract, asserted on each engine" },
  {
    file: "tests/integration/ledger-integrity.test.ts",
    why: "deferred checks refused at COMMIT (caught an adapter bug)",
  },
  { file: "tests/integration/sql-array.test.ts", why: "array literals parsed by the engine the bulk paths write for" },
  { file: "tests/integration/migrations.test.ts", why: "migrating a new embedded database from nothing" },
  { file: "tests/integration/recovery-replay.test.ts", why: "the replay seed's bulk loader, then forced resets on it" },
  { file: "tests/integration/wallet-top-up.test.ts", why: "top-ups and purchases, refused under a kill switch" },
  { file: "tests/integration/reversal-single.test.ts", why: "a reversal: ledger legs, idempotency, audit" },
  { file: "tests/integration/recovery-force-reset.test.ts", why: "a forced reset: sessions revoked, link queued" },
  { file: "tests/integration/notify-enqueue.test.ts", why: "notices through the transactional outbox" },
  { file: "tests/integration/search-caller.test.ts", why: "the caller search's SQL (trigram indexes, set_config)" },
  { file: "tests/integration/audit-spine.test.ts", why: "the audited spine and the chain's verification" },
  { file: "tests/integration/risk-live.test.ts", why: "a risk rule published and applied in the top-up path" },
  { file: "tests/integration/detect-alerts.test.ts", why: "a detector's alert handled through the spine" },
  { file: "tests/integration/session-once-http.test.ts", why: "the web server booted on the embedded database" },
];
