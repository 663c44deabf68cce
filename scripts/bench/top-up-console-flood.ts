// Does a console flood starve the payment path? Top-ups on the real PostgreSQL with the console idle, then while
// many console callers keep every connection of the console's pool busy (agents' searches and a bulk job: interactive
// transactions that each hold a connection for --console-ms), once with the top-ups on the console's pool (as before
// ADR 103) and once on the payment path's own pool, in the same run and against the same flood. Customers' password
// sign-ins (on the customers' own pool since ADR 109, argon2 included) are timed idle and against the same flood too.
//
//   npx tsx scripts/bench/top-up-console-flood.ts [--console-callers 40] [--console-ms 300] [--seconds 8] [--json]
//
// It creates a scratch database (FIREBREAK_BENCH_DB_PREFIX names it; dropped at the end), migrates it and makes a few
// simulated customers. One customer tops up (or signs in) at a time, as one phone would, so every figure is one top-up's
// (or one sign-in's) latency.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createServerDatabase, databaseUrlOn, dropServerDatabase } from "../../tests/support/postgres-admin";
import { BENCH_ADMIN_URL, BENCH_SCRATCH_PREFIX } from "./lib/bench-database";
import { loadAverage, percentile } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    "console-callers": { type: "string", default: "40" },
    "console-ms": { type: "string", default: "300" },
    seconds: { type: "string", default: "8" },
    json: { type: "boolean", default: false },
  },
});
const CONSOLE_CALLERS = Number(args["console-callers"]);
const CONSOLE_MS = Number(args["console-ms"]);
const PHASE_MS = Number(args.seconds) * 1000;
if (!(CONSOLE_CALLERS >= 1) || !(CONSOLE_MS > 0) || !(PHASE_MS > 0)) {
  console.error("top-up-console-flood: --console-callers ≥ 1, --console-ms > 0 and --seconds > 0");
  process.exit(2);
}
const log = (line: string) => {
  if (!args.json) console.log(line);
};

interface Phase {
  label: string;
  kind: "top-up" | "sign-in";
  accepted: number;
  refused: number;
  latencies: number[];
}

async function main() {
  const name = `${BENCH_SCRATCH_PREFIX}_flood_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await createServerDatabase(BENCH_ADMIN_URL, name);
  try {
    // Import the app only now: ~/db.server opens (and migrates) the database named by DATABASE_URL at import.
    process.env.DATABASE_URL = databaseUrlOn(BENCH_ADMIN_URL, name);
    const { database, prisma } = await import("~/db.server");
    const { CONSOLE_POOL_SIZE, CUSTOMER_AUTH_POOL_SIZE, WALLET_POOL_SIZE } = await import("~/db/open-database.server");
    const { createSimulatedCustomer } = await import("~/wallet/simulated-customers.server");
    const { topUp } = await import("~/wallet/top-up.server");
    const { hashCustomerPassword, signInCustomer } = await import("~/wallet/customer-auth.server");
    const { DomainError } = await import("~/lib/domain-error");
    const customers: Awaited<ReturnType<typeof createSimulatedCustomer>>[] = [];
    for (let i = 0; i < 4; i += 1) customers.push(await createSimulatedCustomer(prisma));
    const password = "a benchmark customer's passphrase";
    const passwordHash = await hashCustomerPassword(password);
    for (const customer of customers) {
      await prisma.customer.update({ where: { id: customer.id }, data: { passwordHash } });
    }

    const topUpWith = (options: Parameters<typeof topUp>[1]) => async (customer: (typeof customers)[number]) => {
      const source = customer.fundingSources.find((s) => s.kind === "BANK") ?? customer.fundingSources[0]!;
      await topUp({ customerId: customer.id, fundingSourceId: source.id, amount: 100 }, options);
    };
    // Each customer on their own phone (known after the warm-up): a password sign-in that gets a session.
    const signIn = async (customer: (typeof customers)[number]) => {
      await signInCustomer({
        identifier: customer.displayId,
        password,
        device: { fingerprint: `bench-phone-${customer.id}`, platform: "ios" },
        ip: "203.0.113.7",
        country: "JP",
      });
    };

    const run = async (
      label: string,
      kind: Phase["kind"],
      attempt: (customer: (typeof customers)[number]) => Promise<void>,
    ): Promise<Phase> => {
      const phase: Phase = { label, kind, accepted: 0, refused: 0, latencies: [] };
      const until = performance.now() + PHASE_MS;
      for (let i = 0; performance.now() < until; i += 1) {
        const customer = customers[i % customers.length]!;
        const started = performance.now();
        try {
          await attempt(customer);
          phase.accepted += 1;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          phase.refused += 1;
        }
        phase.latencies.push(performance.now() - started);
      }
      return phase;
    };

    // The flood: console callers each running one interactive transaction after another on the console's pool.
    const flood = () => {
      let stopping = false;
      const callers = Array.from({ length: CONSOLE_CALLERS }, async () => {
        while (!stopping) {
          await prisma
            .$transaction((tx) => tx.$executeRawUnsafe(`SELECT pg_sleep(${CONSOLE_MS / 1000})`), {
              maxWait: 60_000,
              timeout: 60_000,
            })
            .catch(() => undefined);
        }
      });
      return async () => {
        stopping = true;
        await Promise.all(callers);
      };
    };

    log(
      `Top-ups and sign-ins beside a console flood: ${CONSOLE_CALLERS} console callers × ${CONSOLE_MS} ms transactions on the console's pool (${CONSOLE_POOL_SIZE}), payment pool ${WALLET_POOL_SIZE}, customers' sign-in pool ${CUSTOMER_AUTH_POOL_SIZE}, ${PHASE_MS / 1000} s per phase`,
    );
    log(`Machine load average ${loadAverage()} at start`);
    await run("warm-up", "top-up", topUpWith({}));
    await run("warm-up", "sign-in", signIn);
    const phases: Phase[] = [];
    phases.push(await run("console idle, own pool", "top-up", topUpWith({})));
    phases.push(await run("console idle, sign-ins", "sign-in", signIn));
    const stop = flood();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    phases.push(await run("flood, console's pool", "top-up", topUpWith({ db: prisma })));
    phases.push(await run("flood, own pool", "top-up", topUpWith({})));
    phases.push(await run("flood, sign-ins", "sign-in", signIn));
    await stop();
    // Each kind against its own idle phase.
    const idleP50 = (kind: Phase["kind"]) =>
      percentile(
        [...phases.find((p) => p.kind === kind)!.latencies].sort((a, b) => a - b),
        50,
      );
    const rows = phases.map((p) => {
      const sorted = [...p.latencies].sort((a, b) => a - b);
      return {
        label: p.label,
        kind: p.kind,
        accepted: p.accepted,
        refused: p.refused,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p50VsIdle: percentile(sorted, 50) / idleP50(p.kind),
      };
    });
    log("                            accepted  refused      p50      p95   p50 vs idle");
    for (const r of rows) {
      log(
        `  ${r.label.padEnd(25)} ${String(r.accepted).padStart(8)} ${String(r.refused).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)}   ×${r.p50VsIdle.toFixed(1)}`,
      );
    }
    log(`Machine load average ${loadAverage()} at end`);
    if (args.json) console.log(JSON.stringify({ consoleCallers: CONSOLE_CALLERS, consoleMs: CONSOLE_MS, rows }));
    await database.close();
  } finally {
    await dropServerDatabase(BENCH_ADMIN_URL, name);
  }
}

await main();
