// `npx tsx scripts/bench/failed-signin-rate.ts [--factor 200] [--hours 12,14,22]`: the failed-sign-in detector as it
// is (version 2, failures against attempts) and as version 1 judged (failures against their own history: the same
// definition without `rate`), on the same events in the same run:
// - the 7pay replay (2,000 customers): minutes from the first fraudulent top-up to its first alert naming the attack;
// - a payday (25 June 2019) with three times the traffic in the replay at 20,000 customers: alerts raised;
// - slow credential stuffing (tests/support/attack-shapes.ts) among `factor` times the replay's ordinary sign-ins,
//   starting at each JST hour given on Thursday 20 June 2019: minutes to the first alert naming it, false alerts.
import { parseArgs } from "node:util";
import { runBacktest, type BacktestInput } from "~/detect/backtest";
import { failedSignInRate, type DetectorDefinition } from "~/detect/definitions";
import { MINUTE_MS } from "~/detect/events";
import { ACTIVITY_END, ACTIVITY_START, jst } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { reshapeWave } from "~/incidents/replay/wave-variants";
import { busyDay, signInsTimes, slowStuffing, withAttack } from "../../tests/support/attack-shapes";

const { values } = parseArgs({
  options: { factor: { type: "string", default: "200" }, hours: { type: "string", default: "12,14,22" } },
});
const DAY_MS = 24 * 60 * MINUTE_MS;
const VERSIONS: [string, DetectorDefinition][] = [
  ["version 1", { ...failedSignInRate, version: 1, rate: undefined }],
  [`version ${failedSignInRate.version}`, failedSignInRate],
];
const run = (input: Omit<BacktestInput, "detectors">, d: DetectorDefinition) =>
  runBacktest({ ...input, detectors: [d] });
const firstTrue = (alerts: ReturnType<typeof runBacktest>["alerts"]) =>
  alerts.filter((a) => a.trueAt !== null).sort((a, b) => a.trueAt! - b.trueAt!)[0];

const small = generateReplayEvents({ customers: 2000, seed: 7 });
const wave = reshapeWave(small, "7pay", 7);
for (const [name, d] of VERSIONS) {
  const result = run({ ...wave, from: ACTIVITY_START, until: ACTIVITY_END }, d);
  const first = firstTrue(result.alerts);
  const lead = first ? (first.trueAt! - result.firstFraudTopUpAt!) / MINUTE_MS : null;
  const falses = result.alerts.filter((a) => a.trueAt === null).length;
  console.log(
    `7pay replay, ${name}: first alert ${lead === null ? "never" : `${lead} min`} from the first fraudulent top-up, ${falses} false`,
  );
}

const PAYDAY = jst(2019, 6, 25);
const payday = busyDay(generateReplayEvents({ customers: 20_000, seed: 7 }), PAYDAY, 3);
for (const [name, d] of VERSIONS) {
  const result = run({ ...payday, from: PAYDAY - 15 * DAY_MS, until: PAYDAY + DAY_MS }, d);
  const list = result.alerts.map(
    (a) => `${a.peakSeverity} ${new Date(a.raisedAt + 9 * 3_600_000).toISOString().slice(5, 16)} JST`,
  );
  console.log(
    `payday ×3 at 20,000 customers, ${name}: ${result.alerts.length} alerts${list.length ? ` (${list.join(", ")})` : ""}`,
  );
}

const factor = Number(values.factor);
const wallet = signInsTimes(small, factor, jst(2019, 6, 4), jst(2019, 6, 22));
for (const hour of values.hours.split(",").map(Number)) {
  const start = jst(2019, 6, 20, hour, 0);
  const scenario = withAttack(wallet, slowStuffing, start);
  const line = VERSIONS.map(([name, d]) => {
    const result = run({ ...scenario, from: start - 15 * DAY_MS, until: start + 180 * MINUTE_MS }, d);
    const first = firstTrue(result.alerts);
    const falses = result.alerts.filter((a) => a.trueAt === null).length;
    return `${name} ${first ? `${(first.trueAt! - start) / MINUTE_MS} min` : "never"} (${falses} false)`;
  });
  console.log(`slow stuffing at ${hour}:00 JST among ${factor}× the sign-ins: ${line.join(", ")}`);
}
