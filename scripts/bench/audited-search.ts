// `npx tsx scripts/bench/audited-search.ts [--database firebreak_search_bench_1m] [--callers 8] [--searches 2000]
//                                          [--rounds 3] [--compare-calls-in-flight 2]`
//
// Audited searches per second with the audit chain intact, on the real PostgreSQL: `--callers` concurrent agents
// each running the console's search service (searchForCaller: parse, the search in its read-only transaction under
// the statement timeout, masking, and the audit row written durably before the results are returned), back to back,
// with queries drawn from the database itself — a phone number `090-…`, an email in upper case, a display ID, and a
// full name with a birth year, in turn. Three ways, alternating for --rounds rounds, median of each:
//   chained   — the audit row appended to the chain as the console writes it (recordAuditEvent)
//   no chain  — the same row in its own autocommit INSERT into a copy of audit_event, no hash, no chain: the baseline
//   no audit  — the same searches with no audit row at all, for scale (what the search alone costs)
// With --compare-calls-in-flight N, a fourth way, "chained/N": the chain written by an appender that lets N calls run at
// once (the console's lets one: docs/decisions/065-one-audit-call-in-flight.md), to price that setting in the same run.
// Goal: chained ≥ 1,000 audited searches/s on the 2-core machine, printed with its ratio to "no chain" in the same run.
// Then the chain is verified from the row before the first timed search to the head (no gap, no fork), and the
// unchained copy is dropped. The database must be migrated and seeded (a clone of the million-customer replay for
// the goal; the default seed works too); the chained searches' audit rows stay in it.
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createNoChainTable, dropNoChainTable, insertNoChain } from "./lib/audit-no-chain";
import { benchDatabaseUrl } from "./lib/bench-database";
import { phoneAsSaid, sampleCallers, type CallerSample as Sample } from "./lib/callers";
import { backendCpu, backendCpuSince, ownCpuMs } from "./lib/process-cpu";
import { loadAverage, median } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_search_bench_1m" },
    callers: { type: "string", default: "8" },
    searches: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    "compare-calls-in-flight": { type: "string" },
  },
});
const CALLERS = Number(args.callers);
const SEARCHES = Number(args.searches);
const ROUNDS = Number(args.rounds);
const GOAL_PER_SECOND = 1000;
const SAMPLE_SIZE = 500;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** What an agent types for the caller on the line, in turn: three identifiers and one name class. */
function queryFor(s: Sample, k: number): string {
  switch (k % 4) {
    case 0:
      return phoneAsSaid(s.phone);
    case 1:
      return s.email.toUpperCase();
    case 2:
      return s.display_id;
    default:
      return `${s.name} ${s.birth_date.slice(0, 4)}`;
  }
}

async function main() {
  // ~/db.server opens (and migrates) DATABASE_URL on import: set it first.
  process.env.DATABASE_URL = benchDatabaseUrl(args.database);
  // A benchmark prices the reads, not the per-member read budget (app/auth/read-budget.server.ts).
  process.env.FIREBREAK_STAFF_READS_PER_HOUR = "0";
  const { database } = await import("~/db.server");
  const { searchForCaller } = await import("~/accounts/caller-search.server");
  const { recordAuditEvent } = await import("~/audit/perform-action.server");
  const { createAuditAppender } = await import("~/audit/audit-log.server");
  const { verifyAuditChain } = await import("~/audit/verify-chain.server");
  type Writer = NonNullable<Parameters<typeof searchForCaller>[3]>;

  const { rows: counted } = await database.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM customer`);
  const customers = Number(counted[0]!.n);
  const samples = await sampleCallers(database.sql, { customers, size: SAMPLE_SIZE, seed: 11 });

  await dropNoChainTable(database.sql);
  await createNoChainTable(database.sql);
  const { rows: heads } = await database.sql.query<{ seq: string; hash: string }>(
    `SELECT e.seq::text AS seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1`,
  );
  const before = heads[0] ? { seq: BigInt(heads[0].seq), hash: heads[0].hash } : undefined;

  const agents = Array.from({ length: CALLERS }, (_, i) => ({
    actor: { kind: "staff" as const, id: `bench-agent-${i}`, role: "AGENT" as const },
    origin: { ip: "203.0.113.9", userAgent: "audited-search bench", requestId: null as string | null },
  }));
  const writers: Record<string, Writer> = {
    chained: recordAuditEvent,
    "no chain": (event) => insertNoChain(database.sql, event),
    "no audit": async () => {},
  };
  const compared = args["compare-calls-in-flight"];
  if (compared !== undefined) {
    const appender = createAuditAppender(database.sql, { callsInFlight: Number(compared) });
    writers[`chained/${compared}`] = (event) => appender.append([event]);
  }

  // CPU time per search of this process (the search service and its callers) and of the database's backends: on a
  // shared machine, steadier than searches per second.
  const nodeCpuMs = ownCpuMs;
  const cpu = new Map<string, { node: number; db: number; searches: number }>();
  // Rows per call of the chained ways: the rows one call appends share its transaction (xmin).
  const calls = new Map<string, { rows: number; calls: number }>();
  const headSeq = async () =>
    (await database.sql.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event`)).rows[0]!
      .seq;

  let drawn = 0;
  const run = async (writer: Writer, count: number, label?: string) => {
    let next = 0;
    const cpuBefore = label ? { node: nodeCpuMs(), db: await backendCpu(database.sql) } : null;
    const seqBefore = label?.startsWith("chained") ? await headSeq() : null;
    const started = performance.now();
    await Promise.all(
      agents.map(async (agent) => {
        while (next < count) {
          next += 1;
          const query = queryFor(samples[drawn % samples.length]!, drawn);
          drawn += 1;
          const result = await searchForCaller(
            { ...agent, origin: { ...agent.origin, requestId: randomUUID() } },
            query,
            {},
            writer,
          );
          if (result.kind !== "results") throw new Error(`search refused (${result.code}): ${query}`);
        }
      }),
    );
    const rate = count / ((performance.now() - started) / 1000);
    if (label && cpuBefore) {
      const total = cpu.get(label) ?? { node: 0, db: 0, searches: 0 };
      cpu.set(label, {
        node: total.node + nodeCpuMs() - cpuBefore.node,
        db: total.db + (await backendCpuSince(database.sql, cpuBefore.db)),
        searches: total.searches + count,
      });
    }
    if (label && seqBefore !== null) {
      const { rows } = await database.sql.query<{ rows: number; calls: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT xmin::text)::int AS calls FROM audit_event WHERE seq > $1::bigint`,
        [seqBefore],
      );
      const total = calls.get(label) ?? { rows: 0, calls: 0 };
      calls.set(label, { rows: total.rows + rows[0]!.rows, calls: total.calls + rows[0]!.calls });
    }
    return rate;
  };

  console.log(
    `Database ${args.database}: ${fmt(customers)} customers. ${CALLERS} concurrent callers, ${fmt(SEARCHES)} searches ` +
      `per way and round, ${ROUNDS} rounds. Load average before: ${loadAverage()}.`,
  );
  for (const writer of Object.values(writers)) await run(writer, Math.min(400, SEARCHES)); // warm-up
  const rates = new Map<string, number[]>(Object.keys(writers).map((label) => [label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, writer] of Object.entries(writers)) rates.get(label)!.push(await run(writer, SEARCHES, label));
  }

  const baseline = median(rates.get("no chain")!);
  for (const [label, values] of rates) {
    const rate = median(values);
    const used = cpu.get(label)!;
    console.log(
      `  ${label.padEnd(9)} ${fmt(rate).padStart(6)} searches/s  ${(rate / baseline).toFixed(2)}× of no chain` +
        `   CPU per search: Node ${(used.node / used.searches).toFixed(2)} ms, PostgreSQL ` +
        `${(used.db / used.searches).toFixed(2)} ms   (rounds: ${values.map(fmt).join(", ")})` +
        (calls.has(label) ? `   ${(calls.get(label)!.rows / calls.get(label)!.calls).toFixed(1)} rows per call` : ""),
    );
  }
  const chained = median(rates.get("chained")!);
  const verification = await verifyAuditChain(database.sql, before ? { after: before } : {});
  const { rows: written } = await database.sql.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM audit_event WHERE seq > $1::bigint AND action = 'accounts.search'`,
    [(before?.seq ?? 0n).toString()],
  );
  console.log(
    `Audited searches with the chain: ${fmt(chained)}/s (median) — goal ≥ ${fmt(GOAL_PER_SECOND)}/s ` +
      `${chained >= GOAL_PER_SECOND ? "MET" : "NOT MET"}; ${(chained / baseline).toFixed(2)}× the same searches ` +
      `with the audit insert but no chain (${fmt(baseline)}/s).`,
  );
  console.log(
    `Chain: ${verification.ok ? "verifies" : `BROKEN at ${verification.firstBad?.seq} (${verification.firstBad?.problem})`}` +
      ` from seq ${before?.seq ?? 0} to ${verification.headSeq}; ${written[0]!.n} search rows appended in this run.` +
      ` Load average after: ${loadAverage()}.`,
  );
  await dropNoChainTable(database.sql);
  await database.close();
  if (!verification.ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
