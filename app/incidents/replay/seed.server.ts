// Seeding a database with the 7pay replay: used by `npm run seed`, by `npm start` on an empty embedded database and by
// tests. Generation is deterministic (app/incidents/replay/generator.ts); writing is the bulk loader
// (bulk-load.server.ts, docs/decisions/006-bulk-replay-loader.md). Everything happens in one transaction: either the
// whole replay is there, with a consistent ledger, or nothing changed.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { NO_ORIGIN } from "~/audit/actor";
import { appendAuditEvent } from "~/audit/audit-log.server";
import { query, type SqlRunner } from "~/db/sql-runner.server";
import type { Database } from "~/db/open-database.server";
import { loadReplay, type LoadMode, type LoadOptions } from "./bulk-load.server";
import { createReplay } from "./generator";
import type { FundingKind, GroundTruth, ReplayConfig } from "./replay-rows";
import { resetReplayData } from "./reset.server";

export interface SeedOptions extends LoadOptions {
  /** Default 5,000. */
  customers?: number;
  /** Default: 900 scaled to the customer count (900 at 5,000 and above). */
  victims?: number;
  /** Default 20190701. The same seed gives the same data and the same ground truth. */
  seed?: number | string;
  /** Drop the existing wallet data first (reset.server.ts). Without it a database holding data is refused. */
  reset?: boolean;
  /** Record the seeding in the audit log (actor system:seed). Default true. */
  audit?: boolean;
}

export interface SeedResult {
  config: ReplayConfig;
  groundTruth: GroundTruth;
  /** "bulk": triggers off for the load, invariants re-established and checked; "triggers": every trigger fired. */
  mode: LoadMode;
  rows: Record<string, number>;
  elapsedMs: number;
  /** Milliseconds per phase (write, indexes, analyze, balances, verify, audit). */
  timings: Record<string, number>;
}

/** The database already holds wallet data and `reset` was not asked for. */
export class SeedRefusedError extends Error {}

// Two seeds started at once (two terminals, a test and `npm start`) queue here; the second then finds data and refuses.
const SEED_LOCK_KEY = 72_917_006;

export async function hasWalletData(sql: SqlRunner): Promise<boolean> {
  const rows = await query<{ present: boolean }>(
    sql,
    `SELECT EXISTS (SELECT 1 FROM customer) OR EXISTS (SELECT 1 FROM store) OR EXISTS (SELECT 1 FROM incident)
         OR EXISTS (SELECT 1 FROM ledger_transaction) AS present`,
  );
  return rows[0]?.present === true;
}

async function clearingAccountIds(sql: SqlRunner): Promise<Record<FundingKind, string>> {
  const rows = await query<{ code: string; id: string }>(
    sql,
    `SELECT code, id FROM ledger_account WHERE code IN ('clearing:CREDIT_CARD', 'clearing:BANK', 'clearing:CONVENIENCE_CASH')`,
  );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  const id = (kind: FundingKind) => {
    const found = byCode.get(`clearing:${kind}`);
    if (!found) throw new Error(`ledger account clearing:${kind} is missing (reference data migration not applied?)`);
    return found;
  };
  return { CREDIT_CARD: id("CREDIT_CARD"), BANK: id("BANK"), CONVENIENCE_CASH: id("CONVENIENCE_CASH") };
}

export async function seedDatabase(database: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const { replay, load } = await database.sqlTransaction(
    async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
      if (options.reset) {
        await resetReplayData(tx);
      } else if (await hasWalletData(tx)) {
        throw new SeedRefusedError(
          "the database already holds wallet data; run `npm run seed -- --reset` to drop it and seed again",
        );
      }
      const replay = createReplay({
        customers: options.customers,
        victims: options.victims,
        seed: options.seed,
        clearingAccountIds: await clearingAccountIds(tx),
      });
      const load = await loadReplay(tx, replay, options);
      return { replay, load };
      // A million customers' rows go in a few statements that each rightly outlast a request's statement timeout.
    },
    { statementTimeoutMs: 0 },
  );

  const timings = { ...load.timings };
  const auditStart = performance.now();
  const groundTruth = replay.groundTruth();
  if (options.audit ?? true) {
    await database.prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { kind: "system", id: "system:seed" },
        origin: NO_ORIGIN,
        action: "replay.seed",
        outcome: "SUCCESS",
        targetType: "incident",
        targetId: groundTruth.incidentId,
        incidentId: groundTruth.incidentId,
        reason: options.reset ? "development seed with --reset (previous wallet data dropped)" : "development seed",
        after: {
          seed: replay.config.seed,
          customers: replay.config.customers,
          victims: groundTruth.totals.victims,
          fraudulentTopUpYen: groundTruth.totals.fraudulentTopUpYen,
          mode: load.mode,
        },
      }),
    );
  }
  timings.audit = Math.round(performance.now() - auditStart);
  return {
    config: replay.config,
    groundTruth,
    mode: load.mode,
    rows: load.rows,
    elapsedMs: Math.round(performance.now() - started),
    timings,
  };
}

export async function writeGroundTruth(file: string, groundTruth: GroundTruth): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, JSON.stringify(groundTruth, null, 2) + "\n", "utf8");
}

const yen = (n: number) => `¥${n.toLocaleString("en-US")}`;

/** A few lines for a terminal. */
export function describeSeed(result: SeedResult): string[] {
  const { totals, fraudByStore } = result.groundTruth;
  const events =
    (result.rows.login_event ?? 0) + (result.rows.ledger_transaction ?? 0) + (result.rows.contact_change ?? 0);
  const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
  return [
    `Seeded ${result.config.customers.toLocaleString("en-US")} customers (seed ${result.config.seed}): ` +
      `${events.toLocaleString("en-US")} events, ${rows.toLocaleString("en-US")} rows, in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.mode} load).`,
    `Incident ${result.groundTruth.incidentCode}: ${totals.victims} victims, fraudulent top-ups ${yen(totals.fraudulentTopUpYen)}, ` +
      `spent ${yen(totals.fraudulentPurchaseYen)}, ${totals.emailHijacked} emails hijacked.`,
    `Phases: ${Object.entries(result.timings)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
      .join(", ")}.`,
    `Stores: ${fraudByStore.map((s) => `${s.storeCode} ${yen(s.yen)}${s.ecigYen ? ` (e-cig ${yen(s.ecigYen)})` : ""}`).join(", ")}.`,
  ];
}
