// One process of the kill-switch benchmark. It makes top-ups in a loop for its own customers, as its parent asks:
// timed runs with and without the switch read (the cost of enforcement), then a race: top-ups until it has seen the
// engaged switch refuse them for a while, recording each attempt's start, end and outcome.
//   Started by scripts/bench/kill-switch.ts with DATABASE_URL and FIREBREAK_BENCH_CUSTOMERS (JSON) set.
import type { FromWorker, ToWorker, WorkerCustomer, Attempt } from "./kill-switch-protocol";
import { preciseNow } from "./kill-switch-protocol";

const customers = JSON.parse(process.env.FIREBREAK_BENCH_CUSTOMERS ?? "[]") as WorkerCustomer[];
if (!process.send || customers.length === 0) {
  console.error("kill-switch-worker: start it from scripts/bench/kill-switch.ts");
  process.exit(2);
}

const { topUp } = await import("~/wallet/top-up.server");
const { DomainError } = await import("~/lib/domain-error");
const { database } = await import("~/db.server");
const { topUpWithoutSwitchRead } = await import("./kill-switch-baseline");

function send(message: FromWorker) {
  process.send!(message);
}

let turn = 0;
/** The next top-up: round-robin over customers; in a race, every other one in a channel the switch covers. */
function nextTopUp(covered?: readonly string[]) {
  turn += 1;
  const customer = customers[turn % customers.length]!;
  let sources = customer.fundingSources;
  if (covered) {
    const wanted =
      turn % 2 === 0
        ? sources.filter((s) => covered.includes(s.kind))
        : sources.filter((s) => !covered.includes(s.kind));
    if (wanted.length > 0) sources = wanted;
  }
  const source = sources[Math.floor(turn / 2) % sources.length]!;
  return { customerId: customer.id, fundingSourceId: source.id, amount: 1000, channel: source.kind };
}

/**
 * The cost of the switch read: top-ups with and without it, alternating one by one, so that both see the same load
 * (the machine may be busy with other work; alternating phases of seconds would measure that instead).
 */
async function measure(durationMs: number) {
  const baseline: number[] = [];
  const checked: number[] = [];
  let errors = 0;
  const until = preciseNow() + durationMs;
  let withRead = false;
  while (preciseNow() < until) {
    withRead = !withRead;
    const { channel: _channel, ...input } = nextTopUp();
    const start = preciseNow();
    try {
      if (withRead) await topUp(input);
      else await topUpWithoutSwitchRead(input);
      (withRead ? checked : baseline).push(preciseNow() - start);
    } catch {
      errors += 1;
    }
  }
  send({ type: "measured", baseline, checked, errors });
}

async function race(covered: readonly string[], settleMs: number, maxMs: number) {
  const attempts: Attempt[] = [];
  const deadline = preciseNow() + maxMs;
  let firstRefusal: number | null = null;
  while (preciseNow() < deadline && (firstRefusal === null || preciseNow() < firstRefusal + settleMs)) {
    const { channel, ...input } = nextTopUp(covered);
    const start = preciseNow();
    let outcome = "ACCEPTED";
    try {
      await topUp(input);
    } catch (error) {
      outcome = error instanceof DomainError ? error.code : "UNEXPECTED";
    }
    const end = preciseNow();
    attempts.push({ start, end, channel, outcome });
    if (outcome === "TOPUP_SUSPENDED" && firstRefusal === null) firstRefusal = end;
  }
  send({ type: "raced", attempts });
}

process.on("message", (message: ToWorker) => {
  const work =
    message.type === "measure"
      ? measure(message.durationMs)
      : message.type === "race"
        ? race(message.covered, message.settleMs, message.maxMs)
        : database.close().then(() => process.exit(0));
  work.catch((error: unknown) =>
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
  );
});

send({ type: "ready", pid: process.pid });
