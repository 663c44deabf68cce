// `npx tsx scripts/bench/audit-chain.ts [--writes 4000] [--writers 8] [--rounds 3] [--keep]`: what keeping the audit
// chain costs the audited write path (docs/decisions/040-audit-chain-without-a-global-lock.md and
// 049-intake-numbers-and-a-cheaper-seal.md), on the real PostgreSQL, in a scratch database created (and migrated) for the
// run and dropped after. `writers` concurrent loops each write one audit row per call, as an audited search or account
// view does, in these ways:
//   A. no chain: the same audit row in one autocommit INSERT into a copy of audit_event (same columns and indexes, no
//      triggers), seq from a sequence and no hash — the baseline, what the audit row costs without a chain
//   A0. the intake insert alone, numbered by its writer slot, never sealed while timed             → ratio to A
//   A0n. the intake insert as ADR 040 wrote it, unnumbered: what numbering costs                   → ratio to A
//   B. the chain as the console now writes an audited read (recordAuditEvent): the rows of concurrent calls in a process
//      batched into one call of firebreak_append_audit_rows (appended under the chain lock, committed without waiting
//      for the flush, then a flush-waiting commit), two such calls in flight                       → ratio to A
//   B0. the chain as ADR 040 first built it, for comparison: the shared intake insert in its own round trip, then a wait
//      for a seal that started after it (one seal at a time per process), sealing row by row in PL/pgSQL (the function
//      of migration 20261205060000, read from that file), unnumbered                               → ratio to A
// The modes alternate for --rounds rounds on the same database and the median rate of each is reported, so load from
// other work on the machine falls on all of them alike. Then the chain is verified end to end (no gap, no fork) and
// every writer slot's numbers are checked (none vanished, none reported missing by mistake).
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createNoChainTable, insertNoChain, noChainRow as noChainRowOf } from "./lib/audit-no-chain";
import { createScratchDatabase } from "./lib/bench-database";
import { callsPerSecond } from "./lib/checks";
import { median } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    writes: { type: "string", default: "4000" },
    writers: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
  },
});
const WRITES = Number(args.writes);
const WRITERS = Number(args.writers);
const ROUNDS = Number(args.rounds);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const scratch = await createScratchDatabase("chain");
  process.env.DATABASE_URL = scratch.url;
  try {
    // Imported only now: ~/db.server opens DATABASE_URL on import.
    const { recordAuditEvent } = await import("~/audit/perform-action.server");
    const { intakeAuditEvents, sealAuditIntakeNow } = await import("~/audit/audit-log.server");
    const { verifyAuditChain } = await import("~/audit/verify-chain.server");
    const { findMissingIntakeRows } = await import("~/audit/verify-intake.server");
    const { database } = await import("~/db.server");
    type Event = Parameters<typeof recordAuditEvent>[0];

    const event = (): Event => ({
      actor: { kind: "system", id: "system:bench" },
      origin: { ip: "203.0.113.7", userAgent: "bench", requestId: randomUUID() },
      action: "customer.search",
      outcome: "SUCCESS",
      targetType: "customer",
      after: { query: "佐藤 1990", results: 20 },
    });

    await createNoChainTable(database.sql);
    const noChainRow = () => JSON.stringify([noChainRowOf(event())]);

    // B0: the seal of ADR 040 as first built, from its migration, under another name, and the way a process used it.
    const firstSeal = await readFile(
      new URL("../../prisma/migrations/20261205060000_audit_intake/migration.sql", import.meta.url),
      "utf8",
    );
    const functionStart = firstSeal.indexOf("CREATE FUNCTION firebreak_seal_audit_intake");
    await database.sql.query(
      firstSeal.slice(functionStart).replace("firebreak_seal_audit_intake", "bench_seal_row_by_row"),
    );
    let sealRunning: Promise<unknown> | null = null;
    let sealNext: Promise<void> | null = null;
    const firstBuiltSeal = (): Promise<void> => {
      if (sealRunning === null) {
        const run = database.sql.query(`SELECT bench_seal_row_by_row()`).finally(() => {
          sealRunning = null;
        });
        sealRunning = run;
        return run.then(() => undefined);
      }
      sealNext ??= sealRunning
        .catch(() => undefined)
        .then(() => {
          sealNext = null;
          return firstBuiltSeal();
        });
      return sealNext;
    };
    // Unnumbered: the intake insert as ADR 040 wrote it (no writer-slot number).
    const unnumberedInsert = `INSERT INTO audit_intake (occurred_at, actor_id, actor_role, action, target_type, outcome,
         after, ip, user_agent, request_id, after_text)
       SELECT (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole', r->>'action', r->>'targetType',
              (r->>'outcome')::"AuditOutcome", r->'after', r->>'ip', r->>'userAgent', r->>'requestId', r->>'afterText'
         FROM jsonb_array_elements($1::jsonb) AS r`;
    let waiting: { row: unknown; resolve: () => void; reject: (error: unknown) => void }[] = [];
    let inserting = false;
    const insertWaiting = async () => {
      inserting = true;
      try {
        while (waiting.length > 0) {
          const batch = waiting;
          waiting = [];
          try {
            await database.sql.query(unnumberedInsert, [JSON.stringify(batch.map((w) => w.row))]);
          } catch (error) {
            for (const w of batch) w.reject(error);
            continue;
          }
          firstBuiltSeal().then(
            () => batch.forEach((w) => w.resolve()),
            (error: unknown) => batch.forEach((w) => w.reject(error)),
          );
        }
      } finally {
        inserting = false;
      }
    };
    const firstBuiltRecord = () =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ row: JSON.parse(noChainRow())[0], resolve, reject });
        if (!inserting) void insertWaiting();
      });

    interface Mode {
      write: () => Promise<unknown>;
    }
    const modes: Record<string, Mode> = {
      "A. no chain (audit_event copy)": { write: () => insertNoChain(database.sql, event()) },
      "A0. intake insert only": { write: () => intakeAuditEvents(database.sql, [event()]) },
      "A0n. intake insert, unnumbered": { write: () => database.sql.query(unnumberedInsert, [noChainRow()]) },
      "B. appended, flushed after": { write: () => recordAuditEvent(event()) },
      "B0. as ADR 040 first built": { write: () => firstBuiltRecord() },
    };

    const run = (mode: Mode, count: number) => callsPerSecond(count, WRITERS, mode.write);

    for (const mode of Object.values(modes)) {
      await run(mode, Math.min(400, WRITES)); // warm-up
      await sealAuditIntakeNow(database.sql);
    }

    const rates = new Map<string, number[]>(Object.keys(modes).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, mode] of Object.entries(modes)) {
        rates.get(label)!.push(await run(mode, WRITES));
        // The baseline's rows join the chain between modes (untimed), so every mode starts from an empty intake.
        await sealAuditIntakeNow(database.sql);
      }
    }

    console.log(
      `${WRITERS} concurrent writers, ${fmt(WRITES)} audit rows per mode and round, ${ROUNDS} rounds (median):`,
    );
    const baseline = median(rates.get("A. no chain (audit_event copy)")!);
    for (const [label, values] of rates) {
      const rate = median(values);
      console.log(
        `  ${label.padEnd(32)} ${fmt(rate).padStart(6)} rows/s  ${(rate / baseline).toFixed(2)}× of A` +
          `   (rounds: ${values.map(fmt).join(", ")})`,
      );
    }

    const verification = await verifyAuditChain(database.sql);
    const vanished = await findMissingIntakeRows(database.sql);
    const { rows } = await database.sql.query<{ n: string; pending: string }>(
      `SELECT count(*)::text AS n, (SELECT count(*) FROM audit_intake)::text AS pending FROM audit_event`,
    );
    console.log(
      `chain: ${verification.ok ? "verifies" : `BROKEN at ${verification.firstBad?.seq} (${verification.firstBad?.problem})`}` +
        `, ${rows[0]!.n} rows, head seq ${verification.headSeq}, ${rows[0]!.pending} rows left unsealed; ` +
        `intake numbers: ${vanished.length === 0 ? "every one accounted for" : `${vanished.length} slot(s) short`}`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(", ")}`,
    );
    await database.close();
    if (!verification.ok || vanished.length > 0) process.exitCode = 1;
  } finally {
    if (!args.keep) await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
