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
function nextTopUp(channels?: readonly string[]) {
  turn += 1;
  const customer = customers[turn % customers.length]!;
  const sources = channels ? customer.fundingSources.filter((s) => channels.includes(s.kind)) : customer.fundingSources;
  const source = sources[turn % sources.length] ?? customer.fundingSources[0]!;
  return { customerId: customer.id, fundingSourceId: source.id, amount: 1000, channel: source.kind };
}

async function measure(mode: "baseline" | "checked", durationMs: number) {
  const latencies: number[] = [];
  let errors = 0;
  const until = preciseNow() + durationMs;
  while (preciseNow() < until) {
    const { channel: _channel, ...input } = nextTopUp();
    const start = preciseNow();
    try {
      if (mode === "baseline") await topUpWithoutSwitchRead(input);
      else await topUp(input);
      latencies.push(preciseNow() - start);
    } catch {
      errors += 1;
    }
  }
  send({ type: "measured", mode, latencies, errors });
}

async function race(settleMs: number, maxMs: number) {
  const attempts: Attempt[] = [];
  const deadline = preciseNow() + maxMs;
  let firstRefusal: number | null = null;
  while (preciseNow() < deadline && (firstRefusal === null || preciseNow() < firstRefusal + settleMs)) {
    const { channel, ...input } = nextTopUp();
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
      ? measure(message.mode, message.durationMs)
      : message.type === "race"
        ? race(message.settleMs, message.maxMs)
        : database.close().then(() => process.exit(0));
  work.catch((error: unknown) =>
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
  );
});

send({ type: "ready", pid: process.pid });
