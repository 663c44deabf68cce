// What a policy would have done on the recorded ordinary weeks: the replay's five weeks before the 7pay incident, run
// through the live engine and counted per detector and severity. A pure function of the code (the generator is
// deterministic, the detectors are definitions), so it is computed once by `npx tsx scripts/record-policy-history.ts`
// into policy-history.recorded.ts rather than by every web process on its first visit (seconds of CPU; ADR 102).
// tests/unit/detect-policy-history.test.ts recomputes it and fails while the recorded file is out of date.
import { ACTIVITY_START, INCIDENT_START } from "~/incidents/replay/generator";
import { generateReplayEvents } from "~/incidents/replay/replay-events";
import { runBacktestAsync } from "./backtest";
import type { DetectorDefinition } from "./definitions";
import { DETECTORS, SEVERITIES, severityRank, type Severity } from "./definitions";
import { RECORDED_ORDINARY_HISTORY } from "./policy-history.recorded";

export interface RecordedOrdinaryHistory {
  /** The version of each detector the figures were computed with. */
  versions: Record<string, number>;
  weeks: number;
  /** detector → severity → how many alerts reached at least that severity (detectors that never alerted: absent). */
  firings: Record<string, Record<Severity, number>>;
}

export interface OrdinaryHistory {
  weeks: number;
  firings: Record<string, Record<Severity, number>>;
  /** Detectors whose definition is not the version the figures were computed with: their figures are unknown. */
  outdated: string[];
}

/** The replay run itself: seconds of CPU. For the recording script and the test that checks the recording. */
export async function computeOrdinaryHistory(
  detectors: readonly DetectorDefinition[] = DETECTORS,
): Promise<RecordedOrdinaryHistory> {
  const { events } = generateReplayEvents();
  const result = await runBacktestAsync({
    events,
    from: ACTIVITY_START,
    until: INCIDENT_START,
    attack: new Set(),
    fraudTopUps: new Set(),
    detectors,
  });
  const firings: RecordedOrdinaryHistory["firings"] = {};
  for (const alert of result.alerts) {
    const row = (firings[alert.detector] ??= { LOW: 0, MEDIUM: 0, HIGH: 0 });
    for (const s of SEVERITIES) if (severityRank(alert.peakSeverity) >= severityRank(s)) row[s] += 1;
  }
  return { versions: Object.fromEntries(detectors.map((d) => [d.key, d.version])), weeks: result.judgedWeeks, firings };
}

/** The recorded figures, judged against the running detectors: a detector of another version has none. */
export function historyFor(
  recorded: RecordedOrdinaryHistory,
  detectors: readonly DetectorDefinition[] = DETECTORS,
): OrdinaryHistory {
  const outdated = detectors.filter((d) => recorded.versions[d.key] !== d.version).map((d) => d.key);
  const firings = Object.fromEntries(Object.entries(recorded.firings).filter(([key]) => !outdated.includes(key)));
  return { weeks: recorded.weeks, firings, outdated };
}

export function ordinaryHistory(): OrdinaryHistory {
  return historyFor(RECORDED_ORDINARY_HISTORY);
}

/** How many times the detector would have fired at or above the severity; null: not known for its current version. */
export function wouldHaveFired(history: OrdinaryHistory, detector: string, severity: Severity): number | null {
  if (history.outdated.includes(detector)) return null;
  return history.firings[detector]?.[severity] ?? 0;
}
