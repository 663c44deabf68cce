// The order Vitest starts test files in. With two workers a run ends when its last file does, so the longest files
// should start first and the short ones fill in around them. Vitest orders by the durations it cached in an earlier
// run; a fresh clone (CI) has none, and then Vitest starts the largest files first — by bytes. The hostile-input
// sweep's parts are among the longest files but among the smallest (a few lines each, the passes live in
// tests/support), so they would start last and leave one worker alone for the last of them. This sequencer starts
// the files named here first, then the rest in Vitest's own order (docs/decisions/068-the-sweep-split-by-route.md).
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The longest integration files on PostgreSQL, longest first (measured on the shared machine, 2026-12-06). */
const LONGEST_FIRST = [
  /tests\/integration\/hostile-input-[\w-]*http\.test\.ts$/,
  /tests\/integration\/production-boot\.test\.ts$/,
  /tests\/integration\/ledger-property\.test\.ts$/,
  /tests\/integration\/notify-crash\.test\.ts$/,
  /tests\/integration\/migrations\.test\.ts$/,
  /tests\/integration\/bulk-crash\.test\.ts$/,
];

const rank = (spec: TestSpecification) => {
  const index = LONGEST_FIRST.findIndex((pattern) => pattern.test(spec.moduleId));
  return index < 0 ? LONGEST_FIRST.length : index;
};

export class LongestFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: within a rank, Vitest's order stays.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
