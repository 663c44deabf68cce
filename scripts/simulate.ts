// `npm run simulate`: customers topping up and buying, against the wallet back end on the configured database, one
// line per attempt. Engage a top-up switch in the console and watch the next top-ups fail with TOPUP_SUSPENDED;
// release it (two security leads) and watch them succeed again. Purchases spend existing balances and keep working.
//
// It calls app/wallet in this process, on the same database as the console, so it needs a database two processes
// can share: PostgreSQL (DATABASE_URL). The embedded PGlite database belongs to whichever process opened it.
import { parseEnvOrFail } from "./lib/script-env";
import { formatAttempt, countAttempt, formatTally, newTally, type AttemptLine } from "./lib/simulate-format";
import { OptionsError, parseSimulateOptions, USAGE } from "./lib/simulate-options";
import { Rng } from "~/incidents/replay/rng";

const TOP_UP_AMOUNTS = [1000, 2000, 3000, 5000, 10000];
const BASKETS = [
  [{ categoryCode: "DRINK", description: "お茶 500ml", quantity: 1, unitPrice: 150 }],
  [{ categoryCode: "FOOD", description: "おにぎり", quantity: 2, unitPrice: 140 }],
  [{ categoryCode: "DAILY_GOODS", description: "ティッシュ", quantity: 1, unitPrice: 298 }],
  [{ categoryCode: "MAGAZINE", description: "週刊誌", quantity: 1, unitPrice: 450 }],
  [{ categoryCode: "ECIG_CARTRIDGE", description: "加熱式たばこ カートリッジ", quantity: 2, unitPrice: 580 }],
];

function fail(message: string, code = 1): never {
  console.error(`simulate: ${message}`);
  process.exit(code);
}

async function main() {
  let options;
  try {
    options = parseSimulateOptions(process.argv.slice(2), process.stdout.isTTY ?? false);
  } catch (error) {
    if (error instanceof OptionsError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const env = parseEnvOrFail(fail);
  if (env.NODE_ENV === "production") fail("refusing to simulate customers against a production environment.");
  if (!env.DATABASE_URL && !options.embedded) {
    fail(
      [
        "the simulator shares the console's database, and the embedded one (PGlite) can be opened by one process only.",
        "Run the console and the simulator on PostgreSQL:",
        "  createdb -h 127.0.0.1 -U postgres firebreak",
        "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak npm start",
        "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak npm run simulate",
        "or, with the console stopped, use the embedded database directly: npm run simulate -- --embedded",
      ].join("\n"),
      2,
    );
  }

  const { prisma, database } = await import("~/db.server");
  const { topUp } = await import("~/wallet/top-up.server");
  const { purchase } = await import("~/wallet/purchase.server");
  const { DomainError } = await import("~/lib/domain-error");
  const { loadCohort } = await import("./lib/simulate-cohort");

  // Seeded, so `--seed` repeats a run.
  const seeded = new Rng(options.seed);
  const random = () => seeded.float();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const cohort = await loadCohort(prisma, options.customers, options.channels, random);
  const engaged = await prisma.killSwitch.findMany({ where: { engaged: true }, select: { key: true } });
  console.log(
    `Simulating ${cohort.customers.length} customers (${cohort.created} created for the simulation) on the ` +
      `${database.mode} database, one attempt every ${options.intervalMs} ms (times in JST). Ctrl-C stops and prints a summary.`,
  );
  console.log(`Engaged switches now: ${engaged.length === 0 ? "none" : engaged.map((s) => s.key).join(", ")}\n`);

  const balances = new Map(cohort.customers.map((c) => [c.id, c.balance ?? 0]));
  const tally = newTally();
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  while (!stopping && (options.count === 0 || tally.attempts < options.count)) {
    const customer = pick(cohort.customers);
    const balance = balances.get(customer.id) ?? 0;
    const basket = pick(BASKETS);
    const basketTotal = basket.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const shop = options.purchases && balance >= basketTotal && random() < 0.4;
    let line: AttemptLine;
    if (shop) {
      const storeCode = pick(cohort.storeCodes);
      const base = {
        at: new Date(),
        kind: "purchase" as const,
        amount: basketTotal,
        via: storeCode,
        customer: customer.displayId,
      };
      try {
        const result = await purchase({ customerId: customer.id, storeCode, items: basket });
        balances.set(customer.id, result.balance);
        line = { ...base, outcome: { accepted: true, balance: result.balance } };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        line = { ...base, outcome: { accepted: false, code: error.code, message: error.message } };
      }
    } else {
      const source = pick(customer.fundingSources);
      const amount = pick(TOP_UP_AMOUNTS);
      const base = { at: new Date(), kind: "top-up" as const, amount, via: source.label, customer: customer.displayId };
      try {
        const result = await topUp({ customerId: customer.id, fundingSourceId: source.id, amount });
        balances.set(customer.id, result.balance);
        line = { ...base, outcome: { accepted: true, balance: result.balance } };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        line = { ...base, outcome: { accepted: false, code: error.code, message: error.message } };
      }
    }
    countAttempt(tally, line);
    console.log(formatAttempt(line, options.color));
    if (options.intervalMs > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  console.log(`\n${formatTally(tally)}`);
  await database.close();
}

main().catch((error) => {
  fail(error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error));
});
