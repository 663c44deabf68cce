// `npx tsx scripts/bench/audit-chain.ts [--writes 4000] [--writers 8] [--rounds 3] [--keep]`: what keeping the audit
// chain costs the audited write path (docs/decisions/040-audit-chain-without-a-global-lock.md), on the real PostgreSQL,
// in a scratch database created (and migrated) for the run and dropped after. `writers` concurrent loops each write one
// audit row per call, as an audited search or account view does, in three ways:
//   A. no chain: the same audit row inserted on its own (one autocommit INSERT into the intake, never sealed while
//      timed) — the baseline, what any audit row costs without a chain
//   B. the chain as the console now writes it: the row committed to the intake, then sealed into audit_event (seq and
//      hash assigned in the database) before the call returns                              → ratio to A
//   C. the chain as before: seq and hash computed in Node under the chain lock, held across the round trips and the
//      commit (one transaction per row)                                                    → ratio to A
// The modes alternate for --rounds rounds on the same database and the median rate of each is reported, so load from
// other work on the machine falls on all three alike. Then the chain is verified end to end (no gap, no fork).
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";

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
const ADMIN_URL = process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  const name = `firebreak_bench_chain_${Date.now()}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    // Imported only now: ~/db.server opens DATABASE_URL on import.
    const { recordAuditEvent } = await import("~/audit/perform-action.server");
    const { appendAuditEventsWith, intakeAuditEvents, sealAuditIntakeNow } = await import("~/audit/audit-log.server");
    const { verifyAuditChain } = await import("~/audit/verify-chain.server");
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

    const modes: Record<string, () => Promise<unknown>> = {
      "A. no chain (insert only)": () => intakeAuditEvents(database.sql, [event()]),
      "B. intake + batched seal": () => recordAuditEvent(event()),
      "C. chain lock per row (before)": () => database.sqlTransaction((sql) => appendAuditEventsWith(sql, [event()])),
    };

    const run = async (write: () => Promise<unknown>, count: number) => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (next < count) {
            next += 1;
            await write();
          }
        }),
      );
      return count / ((performance.now() - started) / 1000);
    };

    for (const write of Object.values(modes)) await run(write, Math.min(400, WRITES)); // warm-up
    await sealAuditIntakeNow(database.sql);

    const rates = new Map<string, number[]>(Object.keys(modes).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, write] of Object.entries(modes)) {
        rates.get(label)!.push(await run(write, WRITES));
        // The baseline's rows join the chain between modes (untimed), so every mode starts from an empty intake.
        await sealAuditIntakeNow(database.sql);
      }
    }

    console.log(`${WRITERS} concurrent writers, ${fmt(WRITES)} audit rows per mode and round, ${ROUNDS} rounds (median):`);
    const baseline = median(rates.get("A. no chain (insert only)")!);
    for (const [label, values] of rates) {
      const rate = median(values);
      console.log(
        `  ${label.padEnd(34)} ${fmt(rate).padStart(6)} rows/s  ${(rate / baseline).toFixed(2)}× of A` +
          `   (rounds: ${values.map(fmt).join(", ")})`,
      );
    }

    const verification = await verifyAuditChain(database.sql);
    const { rows } = await database.sql.query<{ n: string; pending: string }>(
      `SELECT count(*)::text AS n, (SELECT count(*) FROM audit_intake)::text AS pending FROM audit_event`,
    );
    console.log(
      `chain: ${verification.ok ? "verifies" : `BROKEN at ${verification.firstBad?.seq} (${verification.firstBad?.problem})`}` +
        `, ${rows[0]!.n} rows, head seq ${verification.headSeq}, ${rows[0]!.pending} rows left unsealed`,
    );
    await database.close();
    if (!verification.ok) process.exitCode = 1;
  } finally {
    if (!args.keep) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
