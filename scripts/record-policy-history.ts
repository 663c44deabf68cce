// `npx tsx scripts/record-policy-history.ts`: runs the replay through the detectors — its ordinary weeks, and each
// wave the generator can produce (a minute or so of CPU) — and writes what the /policies page shows of them into
// app/detect/policy-history.recorded.ts and app/detect/policy-waves.recorded.ts. Run it after changing a detector, the
// engine or the replay generator; tests/unit/detect-policy-history.test.ts and detect-policy-waves.test.ts fail until
// then (ADR 102).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { computeOrdinaryHistory } from "~/detect/policy-history.server";
import { computeRecordedWaves } from "~/detect/policy-waves.server";

async function write(name: string, header: string, declaration: string) {
  const file = path.resolve(import.meta.dirname, "../app/detect", name);
  writeFileSync(
    file,
    await format(`${header}\n\n${declaration}\n`, { ...(await resolveConfig(file)), filepath: file }),
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

const history = await computeOrdinaryHistory();
await write(
  "policy-history.recorded.ts",
  `// Written by scripts/record-policy-history.ts: do not edit. What the detectors raised on the replay's ordinary weeks,
// for the /policies page (app/detect/policy-history.server.ts, ADR 102).
import type { RecordedOrdinaryHistory } from "./policy-history.server";`,
  `export const RECORDED_ORDINARY_HISTORY: RecordedOrdinaryHistory = ${JSON.stringify(history)};`,
);
console.log(JSON.stringify(history));

const waves = await computeRecordedWaves();
await write(
  "policy-waves.recorded.ts",
  `// Written by scripts/record-policy-history.ts: do not edit. Each wave the generator can produce, run through the
// detectors, kept as pricing a policy needs it, for the /policies page (app/detect/policy-waves.server.ts, ADR 102).
import type { RecordedWaves } from "./policy-waves.server";`,
  `export const RECORDED_WAVES: RecordedWaves = ${JSON.stringify(waves)};`,
);
