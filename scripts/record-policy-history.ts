// `npx tsx scripts/record-policy-history.ts`: runs the replay's ordinary weeks through the detectors (seconds) and
// writes what the /policies page shows of them into app/detect/policy-history.recorded.ts. Run it after changing a
// detector, the engine or the replay generator; tests/unit/detect-policy-history.test.ts fails until then (ADR 102).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { computeOrdinaryHistory } from "~/detect/policy-history.server";

const file = path.resolve(import.meta.dirname, "../app/detect/policy-history.recorded.ts");
const history = await computeOrdinaryHistory();
const source = `// Written by scripts/record-policy-history.ts: do not edit. What the detectors raised on the replay's ordinary weeks,
// for the /policies page (app/detect/policy-history.server.ts, ADR 102).
import type { RecordedOrdinaryHistory } from "./policy-history.server";

export const RECORDED_ORDINARY_HISTORY: RecordedOrdinaryHistory = ${JSON.stringify(history)};
`;
writeFileSync(file, await format(source, { ...(await resolveConfig(file)), filepath: file }));
console.log(`wrote ${path.relative(process.cwd(), file)}: ${JSON.stringify(history)}`);
