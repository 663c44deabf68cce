// `npm run detect:replay`: the detectors over the generated replay on a simulated clock (the live engine's code),
// per detector: time from the first fraudulent top-up to the first alert, false alerts per week of ordinary
// traffic, and what the recommended containment policy would have let the attack take. Then the other waves.
//   --customers N (default 5000)  --seed S  --variant NAME (default: all)
import { parseArgs } from "node:util";
import { applyPolicy, runBacktest, scoreDetectors } from "~/detect/backtest";
import { ALL_TOP_UPS_POLICY, RECOMMENDED_POLICY } from "~/detect/policy-defaults";
import { ACTIVITY_END, ACTIVITY_START, DEFAULT_CUSTOMERS, DEFAULT_SEED } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import type { WaveVariant } from "~/incidents/replay/wave-variants";
import { reshapeWave, WAVE_DESCRIPTIONS, WAVE_VARIANTS } from "~/incidents/replay/wave-variants";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: String(DEFAULT_CUSTOMERS) },
    seed: { type: "string", default: String(DEFAULT_SEED) },
    variant: { type: "string" },
  },
});
const customers = Number(values.customers);
if (!Number.isSafeInteger(customers) || customers < 100) {
  console.error("--customers must be a whole number ≥ 100");
  process.exit(2);
}
const variants = values.variant ? [values.variant as WaveVariant] : [...WAVE_VARIANTS];
for (const v of variants) {
  if (!WAVE_VARIANTS.includes(v)) {
    console.error(`--variant must be one of: ${WAVE_VARIANTS.join(", ")}`);
    process.exit(2);
  }
}

const yen = (n: number) => `¥${n.toLocaleString("en-US")}`;
const minutes = (ms: number | null) =>
  ms === null ? "never" : `${ms < 0 ? "−" : "+"}${(Math.abs(ms) / 60_000).toFixed(0)} min`;
const pad = (s: string, n: number) => s.padEnd(n);

const base = generateReplayEvents({ customers, seed: values.seed });
console.log(
  `Replay: ${customers.toLocaleString("en-US")} customers, seed ${values.seed}, ${base.events.length.toLocaleString("en-US")} events, ` +
    `${base.truth.totals.victims} victims, ${yen(base.truth.totals.fraudulentTopUpYen)} of fraudulent top-ups.`,
);
console.log(
  `Policy: ${RECOMMENDED_POLICY.detectors.join(" | ")} at ${RECOMMENDED_POLICY.minSeverity}+ → engage ${RECOMMENDED_POLICY.switchKey}`,
);

const summary: string[] = [];
for (const variant of variants) {
  const wave = reshapeWave(base, variant, Number(values.seed) || 1);
  const result = runBacktest({
    events: wave.events,
    from: ACTIVITY_START,
    until: ACTIVITY_END,
    attack: wave.attack,
    fraudTopUps: wave.fraudTopUps,
  });
  const scores = scoreDetectors(result);
  const policy = applyPolicy(result, wave.fraudTopUps, RECOMMENDED_POLICY);
  const wider = applyPolicy(result, wave.fraudTopUps, ALL_TOP_UPS_POLICY);
  const falseTotal = scores.reduce((s, d) => s + d.falseAlerts, 0);
  console.log(`\n## ${variant}: ${WAVE_DESCRIPTIONS[variant]}`);
  console.log(`${pad("detector", 36)} ${pad("first alert vs first fraud top-up", 34)} false alerts / week`);
  for (const s of scores) {
    console.log(
      `${pad(`${s.detector} v${s.version}`, 36)} ${pad(minutes(s.leadMs), 34)} ${s.falseAlertsPerWeek.toFixed(2)} (${s.falseAlerts})`,
    );
  }
  const leads = scores.flatMap((s) => (s.leadMs === null ? [] : [s.leadMs]));
  const first = leads.length > 0 ? Math.min(...leads) : null;
  console.log(
    `${pad("all detectors", 36)} ${pad(minutes(first), 34)} ${(falseTotal / result.judgedWeeks).toFixed(2)} (${falseTotal} in ${result.judgedWeeks.toFixed(1)} weeks)`,
  );
  const shareOf = (taken: number) => (result.fraudTopUpYen > 0 ? (100 * taken) / result.fraudTopUpYen : 0);
  const share = shareOf(policy.yenTaken);
  console.log(
    `With the policy: the attack takes ${yen(policy.yenTaken)} of ${yen(result.fraudTopUpYen)} (${share.toFixed(2)}%); ` +
      `engaged ${minutes(policy.engagedAt === null || result.firstFraudTopUpAt === null ? null : policy.engagedAt - result.firstFraudTopUpAt)}; ` +
      `false firings ${policy.falseFirings}`,
  );
  summary.push(
    `| ${variant} | ${first === null ? "missed" : "caught"} | ${minutes(first)} | ${(falseTotal / result.judgedWeeks).toFixed(2)} | ` +
      `${yen(policy.yenTaken)} (${share.toFixed(2)}%) | ${yen(wider.yenTaken)} (${shareOf(wider.yenTaken).toFixed(2)}%) |`,
  );
}
console.log(
  "\n| wave | detected | first alert vs first fraud top-up | false alerts / week | taken, card top-ups stopped | taken, all top-ups stopped |",
);
console.log("|---|---|---|---|---|---|");
for (const line of summary) console.log(line);
