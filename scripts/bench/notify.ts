// `npx tsx scripts/bench/notify.ts [--messages 10000] [--connections 16] [--lanes 8] [--keep]`: the notification outbox
// on the real PostgreSQL, in a scratch database created (and migrated by openDatabase) for the run, dropped after.
//   1. an incident with N victims, each with a verified email (set-based SQL)
//   2. enqueue: one bulk send through the audited spine (render N notices, N outbox rows, N + 1 audit rows)
//   3. baseline: a bare nodemailer loop — the same pooled transport and the same rendered messages, kept
//      `connections` in flight, no database at all                                   → messages/s
//   4. the outbox worker delivering all N rows: claims with FOR UPDATE SKIP LOCKED, sends, records each outcome
//                                                                                    → messages/s (goal ≥ 500)
//   5. checks: every row SENT, the sink received each dedupe key exactly once
// The SMTP sink runs in a child process (scripts/bench/lib/notify-sink-child.ts), shared by both runs.
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createScratchDatabase } from "./lib/bench-database";
import { check } from "./lib/checks";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "10000" },
    connections: { type: "string", default: "16" },
    lanes: { type: "string", default: "8" },
    keep: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(args.messages);
const CONNECTIONS = Number(args.connections);
const LANES = Number(args.lanes);
const GOAL_PER_SECOND = 500;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (n: number, ms: number) => n / (ms / 1000);

interface SinkStats {
  total: number;
  keys: number;
  maxPerKey: number;
}

class SinkProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(): Promise<SinkProcess> {
    const child = fork(path.resolve("scripts/bench/lib/notify-sink-child.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("message", (m: { kind: string; port: number }) => resolve(new SinkProcess(child, m.port)));
    });
  }

  private ask<T>(kind: string): Promise<T> {
    return new Promise((resolve) => {
      this.child.once("message", (m: T) => resolve(m));
      this.child.send({ kind });
    });
  }

  stats = () => this.ask<SinkStats>("stats");
  reset = () => this.ask<unknown>("reset");
  stop = () => this.child.send({ kind: "stop" });
}

async function main() {
  const scratch = await createScratchDatabase("firebreak_bench_notify");
  // The app's modules use the process-wide database: point it at the scratch one before importing them.
  process.env.DATABASE_URL = scratch.url;
  const sink = await SinkProcess.start();
  try {
    await run(sink);
  } finally {
    sink.stop();
    const { database } = await import("~/db.server");
    await database.close();
    if (!args.keep) await scratch.drop();
    else console.log(`kept database ${scratch.name}`);
  }
}

async function run(sink: SinkProcess) {
  const { database, prisma } = await import("~/db.server");
  const { enqueueNotices } = await import("~/notify/notices.server");
  const { createPooledTransport } = await import("~/notify/mail-transport.server");
  const { startOutboxWorker } = await import("~/notify/outbox-worker.server");
  const { dedupeHeaderOf, DEDUPE_HEADER } = await import("~/notify/dedupe");

  console.log(
    `notify bench: ${fmt(MESSAGES)} messages, ${CONNECTIONS} SMTP connections, ${LANES} claim lanes · ` +
      `${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, load ${os.loadavg()[0]?.toFixed(2)}`,
  );

  // 1. Victims, set-based.
  const incidentId = randomUUID();
  await database.sql.query(
    `INSERT INTO incident (id, code, title, summary, status, opened_at)
     VALUES ($1, 'BENCH-NOTIFY', 'Notification bench', 'bench', 'CONTAINED', now() - interval '1 day')`,
    [incidentId],
  );
  await database.sql.query(
    `INSERT INTO customer (id, display_id, name, name_kana, email, email_verified, phone, birth_date, preferred_language)
     SELECT gen_random_uuid(), 'W-B' || lpad(i::text, 8, '0'), '山田 花子' || i, 'ヤマダ ハナコ', 'victim' || i || '@bench.example',
            true, '+8190' || lpad(i::text, 8, '0'), date '1985-04-01', CASE WHEN i % 10 = 0 THEN 'en' ELSE 'ja' END
     FROM generate_series(1, $1::int) AS i`,
    [MESSAGES],
  );
  await database.sql.query(
    `INSERT INTO incident_case (id, incident_id, customer_id, status)
     SELECT gen_random_uuid(), $1, id, 'CONTAINED' FROM customer WHERE display_id LIKE 'W-B%'`,
    [incidentId],
  );

  // 2. Enqueue through the spine.
  const lead = {
    actor: { kind: "staff" as const, id: randomUUID(), role: "SECURITY_LEAD" as const },
    origin: { ip: "127.0.0.1", userAgent: "bench", requestId: "bench-notify" },
  };
  const enqueueStarted = performance.now();
  const queued = await enqueueNotices(lead, { incidentId, template: "incident-update" });
  const enqueueMs = performance.now() - enqueueStarted;
  check(queued.queued === MESSAGES, `expected ${MESSAGES} queued, got ${queued.queued}`);
  console.log(
    `enqueue (one audited bulk send, ${Math.ceil(MESSAGES / 1000)} transactions): ${fmt(enqueueMs)} ms → ${fmt(perSecond(MESSAGES, enqueueMs))} rows/s`,
  );

  const rows = await prisma.outboundMessage.findMany({
    where: { incidentId },
    select: { recipient: true, subject: true, textBody: true, htmlBody: true, dedupeKey: true },
  });
  const settings = { host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true };
  const from = "Firebreak Security <security@wallet.example>";

  // 3. Baseline: bare nodemailer, same messages, same pool, same concurrency, no database.
  await sink.reset();
  const bare = createPooledTransport(settings, { maxConnections: CONNECTIONS });
  const baselineStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await bare.sendMail({
          from,
          to: row.recipient!,
          subject: row.subject!,
          text: row.textBody!,
          html: row.htmlBody!,
          headers: { [DEDUPE_HEADER]: `baseline-${dedupeHeaderOf(row.dedupeKey)}` },
        });
      }
    }),
  );
  const baselineMs = performance.now() - baselineStarted;
  bare.close();
  const baselineStats = await sink.stats();
  check(baselineStats.total === MESSAGES, `baseline: sink got ${baselineStats.total}`);
  const baselineRate = perSecond(MESSAGES, baselineMs);
  console.log(`baseline (bare nodemailer loop):  ${fmt(baselineMs)} ms → ${fmt(baselineRate)} msg/s`);

  // 4. The outbox worker.
  await sink.reset();
  const transport = createPooledTransport(settings, { maxConnections: CONNECTIONS });
  const quiet = { info: () => undefined, warn: (m: string) => console.warn(m) };
  const workerStarted = performance.now();
  const worker = startOutboxWorker({
    transport,
    ownsTransport: true,
    concurrency: CONNECTIONS,
    lanes: LANES,
    ratePerSecond: 0,
    pollIntervalMs: 50,
    logger: quiet,
  });
  for (;;) {
    const { rows: left } = await database.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbound_message WHERE incident_id = $1 AND status IN ('QUEUED', 'SENDING')`,
      [incidentId],
    );
    if (Number(left[0]!.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const outboxMs = performance.now() - workerStarted;
  await worker.stop();
  const outboxRate = perSecond(MESSAGES, outboxMs);
  console.log(`outbox worker (claim, send, record): ${fmt(outboxMs)} ms → ${fmt(outboxRate)} msg/s`);

  // 5. Checks.
  const statuses = await prisma.outboundMessage.groupBy({
    by: ["status"],
    where: { incidentId },
    _count: { _all: true },
  });
  const sent = statuses.find((s) => s.status === "SENT")?._count._all ?? 0;
  check(sent === MESSAGES, `expected ${MESSAGES} SENT, got ${JSON.stringify(statuses)}`);
  const outboxStats = await sink.stats();
  check(outboxStats.total === MESSAGES && outboxStats.keys === MESSAGES, `sink: ${JSON.stringify(outboxStats)}`);
  check(outboxStats.maxPerKey === 1, `a dedupe key was delivered ${outboxStats.maxPerKey} times`);
  console.log(
    `ratio outbox / bare loop: ${(outboxRate / baselineRate).toFixed(2)} · goal ≥ ${GOAL_PER_SECOND} msg/s: ` +
      `${outboxRate >= GOAL_PER_SECOND ? "met" : "NOT met"} · every key delivered once: ${outboxStats.maxPerKey === 1 ? "yes" : "NO"}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
