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

/** Why each file runs on the embedded engine too, by its name under tests/integration/ without ".test.ts". */
const WHY_EMBEDDED: Readonly<Record<string, string>> = {
  "engine-contract": "the adapter layer's contract, asserted on each engine",
  "ledger-integrity": "deferred checks refused at COMMIT (caught an adapter bug)",
  "sql-array": "array literals parsed by the engine the bulk paths write for",
  migrations: "migrating a new embedded database from nothing",
  "recovery-replay": "the replay seed's bulk loader, then forced resets on it",
  "wallet-top-up": "top-ups and purchases, refused under a kill switch",
  "reversal-single": "a reversal: ledger legs, idempotency, audit",
  "recovery-force-reset": "a forced reset: sessions revoked, link queued",
  "notify-enqueue": "notices through the transactional outbox",
  "search-caller": "the caller search's SQL (trigram indexes, set_config)",
  "audit-spine": "the audited spine and the chain's verification",
  "risk-live": "a risk rule published and applied in the top-up path",
  "detect-alerts": "a detector's alert handled through the spine",
  "session-once-http": "the web server booted on the embedded database",
};

export const EMBEDDED_INTEGRATION_FILES: readonly EmbeddedFile[] = Object.entries(WHY_EMBEDDED).map(([name, why]) => ({
  file: `tests/integration/${name}.test.ts`,
  why,
}));
