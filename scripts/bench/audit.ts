// `npx tsx scripts/bench/audit.ts [--rows 1000000] [--keep | --reuse <database>]`: the audit trail at
// scale, on the real PostgreSQL, in a scratch database created for the run and dropped afterwards (--keep leaves it,
// and its bench key, for EXPLAIN sessions and for --reuse, which skips the build).
//   1. builds N hash-chained rows (batched multi-row inserts, chain computed in process, triggers on) and signs a
//      checkpoint every 100,000 rows
//   2. baselines in the same run: a bare `SELECT *` keyset scan of the same rows, and the verifier with its database pass
//      refused, so every row is hashed in Node (the design before ADR 015)
//   3. verifies the chain and the checkpoints (goal ≥ 200,000 rows/s): the database re-hashes the rows, two ranges at once
//   4. exports every row as JSON Lines and as CSV through the same streams the download routes use, and reports how
//      much resident memory grew (goal ≤ 50 MB) — first, while the process is still small
// Wall-clock rates depend on what else the machine runs (2 cores, shared); the CPU seconds spent by this process and
// by its PostgreSQL backends are printed too, and the rate they allow when the two overlap on two idle cores.
//   5. times the first page of the audit view for each filter, and a page deep in the log (keyset, no OFFSET)
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import pg from "pg";
import { parseAuditFilter } from "~/audit/audit-filter";
import { resolveAuditFilter, searchAuditLog, type AuditDb } from "~/audit/audit-search.server";
import type { ExportFormat } from "~/audit/audit-export.server";
import { signCheckpoint as signStatement, trustedKeysOf } from "~/audit/signatures";
import { signingKeyFrom } from "~/audit/signing-key.server";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { verifyAuditTrail } from "~/audit/verify-trail.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { insertSyntheticChain } from "./audit-rows";
import { benchDatabaseUrl, createScratchDatabase } from "./lib/bench-database";
import { timed } from "./lib/checks";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const ROWS = Number(args.rows);
const VERIFY_GOAL_ROWS_PER_SECOND = 200_000;
const EXPORT_GOAL_RSS_GROWTH_MB = 50;
const CHECKPOINT_EVERY = 100_000;
const SCAN_BATCH = 20_000;
const MB = 1024 * 1024;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
const CPU_SAMPLE_MS = 100;
const VERIFY_CONNECTIONS = 2; // the verifier's default concurrency (app/audit/verify-chain.server.ts)

const run = promisify(execFile);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (rows: number, ms: number) => rows / (ms / 1000);

function keyFileFor(name: string): string {
  return path.join(os.tmpdir(), `${name}.bench-key.pem`);
}

async function withScratchDatabase(fn: (db: Database, url: string, name: string) => Promise<void>) {
  const scratch = args.reuse
    ? { name: args.reuse, url: benchDatabaseUrl(args.reuse), drop: async () => {} }
    : await createScratchDatabase("firebreak_bench_audit");
  const db = await openDatabaseAt({ url: scratch.url });
  try {
    await fn(db, scratch.url, scratch.name);
  } finally {
    await db.close();
    if (args.keep || args.reuse) console.log(`kept database ${scratch.name}`);
    else await scratch.drop();
  }
}

/** CPU seconds of the PostgreSQL backends serving this database, sampled while `fn` runs (pool connections come and
 *  go, so each backend's last reading is kept). */
async function withCpu<T>(url: string, fn: () => Promise<T>) {
  const sampler = new pg.Client({ connectionString: url });
  await sampler.connect();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async () => {
    const { rows } = await sampler.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        if (!first.has(pid)) first.set(pid, ticks);
        last.set(pid, ticks);
      } catch {
        // Not on this machine, or already gone.
      }
    }
  };
  await sample();
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, CPU_SAMPLE_MS);
  const nodeBefore = process.cpuUsage();
  const result = await timed(fn);
  const nodeUsage = process.cpuUsage(nodeBefore);
  clearInterval(timer);
  await sampling;
  await sample();
  await sampler.end();
  let ticks = 0;
  for (const [pid, value] of last) ticks += value - (first.get(pid) ?? 0);
  return {
    ...result,
    node: (nodeUsage.user + nodeUsage.system) / 1e6,
    postgres: ticks / CLOCK_TICKS_PER_SECOND,
  };
}

/** Seconds the CPU time needs on idle cores: node and the backends overlap, and up to `backends` backends run at once. */
function idleSeconds(cpu: { node: number; postgres: number }, backends = 1): number {
  return Math.max(cpu.node, cpu.postgres / backends, (cpu.node + cpu.postgres) / os.cpus().length);
}

function cpuNote(rows: number, cpu: { node: number; postgres: number }, backends = 1): string {
  const rate = fmt(rows / idleSeconds(cpu, backends));
  return `CPU: node ${cpu.node.toFixed(1)} s, postgres ${cpu.postgres.toFixed(1)} s → ${rate} rows/s on idle cores`;
}

/** The verifier with the database's pass refused, so every range goes row by row through Node: the previous design. */
function withoutDatabasePass(sql: SqlRunner): SqlRunner {
  return {
    query: (text, params) =>
      text.includes("WITH anchor AS") ? Promise.reject(new Error("refused by the bench")) : sql.query(text, params),
    exec: (text) => sql.exec(text),
  };
}

/** Reads every row in keyset batches and does nothing with them: what reading alone costs. */
async function scan(db: Database, select: string): Promise<number> {
  let last = "0";
  let count = 0;
  for (;;) {
    const { rows } = await db.sql.query<{ seq: string }>(
      `SELECT ${select} FROM audit_event WHERE seq > $1::bigint ORDER BY audit_event.seq LIMIT ${SCAN_BATCH}`,
      [last],
    );
    if (rows.length === 0) return count;
    count += rows.length;
    last = String(rows[rows.length - 1]!.seq);
  }
}

/** Streams the whole trail through the export in a child process (scripts/bench/audit-export-child.ts). */
async function measureExport(url: string, format: ExportFormat, throughSeq: bigint) {
  const { stdout } = await run(process.execPath, [
    "--expose-gc",
    "--import",
    "tsx",
    "scripts/bench/audit-export-child.ts",
    url,
    format,
    throughSeq.toString(),
  ]);
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    ms: number;
    bytes: number;
    rssStart: number;
    peak: number;
    atTenths: number[];
  };
  return {
    ms: result.ms,
    bytes: result.bytes,
    rssBeforeMb: result.rssStart / MB,
    growthMb: (result.peak - result.rssStart) / MB,
    tenthsMb: result.atTenths.map((rss) => Math.round((rss - result.rssStart) / MB)),
  };
}

async function signBenchCheckpoints(db: Database, hashesAt: Map<bigint, string>, keyFile: string) {
  const privateKey = generateKeyPairSync("ed25519").privateKey;
  writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const key = signingKeyFrom(privateKey, "bench");
  for (const [seq, headHash] of hashesAt) {
    const signedAt = new Date().toISOString();
    const signature = signStatement(
      { seq: seq.toString(), headHash, signedAt, publicKeyFingerprint: key.fingerprint },
      key.privateKey,
    );
    await db.sql.query(
      `INSERT INTO audit_checkpoint (seq, head_hash, signed_at, key_id, public_key_fingerprint, signature, created_by)
       VALUES ($1::bigint, $2, $3::timestamptz, $4, $5, $6, 'bench')`,
      [seq.toString(), headHash, signedAt, key.keyId, key.fingerprint, signature],
    );
  }
  return trustedKeysOf([key.publicKey]);
}

async function timeViewQueries(db: AuditDb) {
  const { rows } = await db.sql.query<{ target_id: string; actor_id: string }>(
    "SELECT target_id, actor_id FROM audit_event WHERE seq = 424242 OR seq = 1 ORDER BY seq DESC LIMIT 1",
  );
  const sample = rows[0]!;
  const cases: [string, Record<string, string>, bigint?][] = [
    ["no filter, first page", {}],
    ["no filter, cursor deep in the log", {}, BigInt(Math.floor(ROWS / 2))],
    ["actor", { actor: sample.actor_id }],
    ["role (rare: ADMIN)", { role: "ADMIN" }],
    ["action", { action: "ledger.reverse" }],
    ["action prefix", { action: "recovery.*" }],
    ["target id", { targetId: sample.target_id }],
    ["outcome (rare: FAILED)", { outcome: "FAILED" }],
    ["time range, one hour in JST", { from: "2019-07-04T10:00", to: "2019-07-04T11:00" }],
    ["text in reason (common)", { q: "7pay" }],
    ["text in reason (absent: reads every row)", { q: "no such words" }],
    ["actor + outcome + action", { actor: sample.actor_id, outcome: "DENIED", action: "accounts.freeze" }],
  ];
  console.log("\naudit view, one page of 50 (keyset by seq):");
  for (const [label, params, before] of cases) {
    const parsed = parseAuditFilter(new URLSearchParams(params));
    if (!parsed.ok) throw new Error(parsed.errors.join(" "));
    const filter = await resolveAuditFilter(db.sql, parsed.filter);
    await searchAuditLog(db, filter, { before }); // warm
    const { ms, result } = await timed(() => searchAuditLog(db, filter, { before }));
    console.log(`  ${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  (${result.rows.length} rows)`);
  }
}

async function main() {
  await withScratchDatabase(async (db, url, name) => {
    console.log(
      `audit benchmark: ${fmt(ROWS)} rows on ${name} ` +
        `(${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start)`,
    );
    let trusted;
    if (args.reuse) {
      const key = signingKeyFrom(createPrivateKey(readFileSync(keyFileFor(name), "utf8")), "bench");
      trusted = trustedKeysOf([key.publicKey]);
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const build = await timed(() =>
        insertSyntheticChain(client, {
          rows: ROWS,
          checkpointEvery: CHECKPOINT_EVERY,
          onProgress: (n) => {
            if (n % 250_000 === 0) console.log(`  built ${fmt(n)}`);
          },
        }),
      );
      await client.query("VACUUM ANALYZE audit_event");
      await client.end();
      console.log(`build: ${(build.ms / 1000).toFixed(1)} s (${fmt(perSecond(ROWS, build.ms))} rows/s, triggers on)`);
      trusted = await signBenchCheckpoints(db, build.result.hashesAt, keyFileFor(name));
    }

    // Each export in a fresh process: the growth measured is the export's own.
    const through = BigInt(ROWS);
    for (const format of ["jsonl", "csv"] as const) {
      const result = await measureExport(url, format, through);
      console.log(
        `export ${format.padEnd(5)}: ${(result.bytes / MB).toFixed(0)} MB in ${(result.ms / 1000).toFixed(1)} s ` +
          `(${fmt(perSecond(ROWS, result.ms))} rows/s); resident memory grew at most ${result.growthMb.toFixed(1)} MB ` +
          `over ${result.rssBeforeMb.toFixed(0)} MB (goal ≤ ${EXPORT_GOAL_RSS_GROWTH_MB} MB: ` +
          `${result.growthMb <= EXPORT_GOAL_RSS_GROWTH_MB ? "met" : "NOT met"}); growth at each tenth: ` +
          `${result.tenthsMb.join(", ")} MB`,
      );
    }

    // Warm the cache once so no measurement pays for the first read from disk.
    await scan(db, "seq");
    const bare = await withCpu(url, () => scan(db, "*"));
    const warn = console.warn;
    console.warn = () => undefined; // the verifier notes each refused range: forty lines that say what we know
    const rowByRow = await withCpu(url, () => verifyAuditChain(withoutDatabasePass(db.sql))).finally(() => {
      console.warn = warn;
    });
    if (!rowByRow.result.ok) throw new Error(`the chain did not verify: ${JSON.stringify(rowByRow.result.firstBad)}`);
    const verify = await withCpu(url, () => verifyAuditTrail(db.sql, { trusted }));
    const v = verify.result;
    if (!v.ok) throw new Error(`the trail did not verify: ${JSON.stringify(v.firstBad)}`);
    const verifyRate = perSecond(ROWS, verify.ms);
    const bareRate = perSecond(ROWS, bare.ms);
    console.log(`\nbaseline, bare SELECT * keyset scan:           ${fmt(bareRate)} rows/s; ${cpuNote(ROWS, bare)}`);
    console.log(
      `baseline, every row hashed in Node (tier 2): ${fmt(perSecond(ROWS, rowByRow.ms))} rows/s; ` +
        cpuNote(ROWS, rowByRow),
    );
    console.log(
      `verify chain + ${v.checkpoints.valid} checkpoints (tier 1):      ${fmt(verifyRate)} rows/s ` +
        `(${(verify.ms / 1000).toFixed(2)} s; ${(verifyRate / bareRate).toFixed(2)}× the bare scan's rate); ` +
        cpuNote(ROWS, verify, VERIFY_CONNECTIONS),
    );
    const idleRate = ROWS / idleSeconds(verify, VERIFY_CONNECTIONS);
    console.log(
      `goal ≥ ${fmt(VERIFY_GOAL_ROWS_PER_SECOND)} rows/s: wall clock ${verifyRate >= VERIFY_GOAL_ROWS_PER_SECOND ? "met" : "NOT met"}` +
        `, CPU-bound estimate ${idleRate >= VERIFY_GOAL_ROWS_PER_SECOND ? "met" : "NOT met"}`,
    );

    await timeViewQueries(db);
    console.log(`\nload average at the end: ${os.loadavg()[0]!.toFixed(1)}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
