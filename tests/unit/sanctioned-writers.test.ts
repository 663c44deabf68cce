// Staff mutations go through the spine (performAction). The code that opens its own transaction or writes audit rows
// directly is a short, reviewed list: docs/decisions/019-sanctioned-writers.md says why each one may. A new caller of
// `$transaction(`, of the raw-SQL `sqlTransaction(` or of the audit writer outside the spine fails this test until it is added here and to the ADR —
// and an entry whose file no longer does so fails it too, so the list stays true.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SPINE = ["app/audit/perform-action.server.ts", "app/audit/audit-log.server.ts"];

/** File → why it may open its own transaction or append audit rows without performAction (ADR 019). */
const SANCTIONED: Record<string, string> = {
  "app/audit/checkpoint-service.server.ts": "system actor: the worker's signed checkpoints and head notes",
  "app/auth/auth-audit.server.ts": "sign-in attempts: a failed attempt's counter and its audit row commit together",
  "app/auth/demo-staff.server.ts": "demo staff for the embedded demo database, created with their audit rows",
  "app/detect/live-evaluation.server.ts": "system actor: a detector minute's values, alert changes and cursor together",
  "app/detect/policies.server.ts": "system actor: a firing that engaged nothing, its mail and its audit row together",
  "app/incidents/cohorts/preview.server.ts": "read-only: one snapshot for the preview's search",
  "app/incidents/replay/seed.server.ts": "the replay seed: one bulk transaction, audited as a system action",
  "app/jobs/bulk-reversal.server.ts": "read-only: the dry run and the reconciliation read one snapshot",
  "app/jobs/job-lease.server.ts": "system actor: claiming and failing durable jobs, one transaction each",
  "app/killswitch/service-api.server.ts": "service instances acknowledging switch versions (not staff)",
  "app/ledger/reversal-views.server.ts": "read-only: charges read in one snapshot",
  "app/recovery/recovery-view.server.ts": "read-only: the recovery page's facts as of one instant",
  "app/risk/backtest-job.server.ts": "read-only: a backtest's replay reads one snapshot",
  "app/wallet/contact-change.server.ts": "the wallet back end: a customer changing their own email or phone",
  "app/wallet/customer-auth-two-factor.server.ts": "the wallet back end: customers' sign-in, not staff",
  "app/wallet/customer-auth.server.ts": "the wallet back end: customers' sign-in, not staff",
  "app/wallet/password-reset.server.ts": "the wallet back end: customers' reset links, not staff",
  "app/wallet/probe.server.ts": "read-only and rolled back: the switch board's admission probe",
  "app/wallet/simulated-customers.server.ts": "simulated customers for the simulator and benchmarks",
  "app/wallet/transaction-runner.server.ts":
    "the wallet back end: a customer's top-up or purchase, one transaction each",
};

// Prisma's interactive transactions, the raw-SQL runner's (app/db/open-database.server.ts) and the audit writer.
const WRITER = /\$transaction\(|\bsqlTransaction\(|\bappendAuditEvents?(With)?\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full.split(path.sep).join("/")] : [];
  });
}

describe("writers outside the spine", () => {
  const writers = sourceFiles("app")
    .filter((file) => !SPINE.includes(file))
    .filter((file) => WRITER.test(readFileSync(file, "utf8")))
    .sort();

  it("are exactly the sanctioned list of ADR 019", () => {
    expect(writers).toEqual(Object.keys(SANCTIONED).sort());
  });

  it("are each named in ADR 019", () => {
    const adr = readFileSync("docs/decisions/019-sanctioned-writers.md", "utf8");
    for (const file of Object.keys(SANCTIONED)) expect(adr, file).toContain(`\`${file}\``);
  });
});
