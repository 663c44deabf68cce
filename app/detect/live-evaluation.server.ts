// The live side of the detectors: evaluates each closed minute exactly once, whatever the number of workers and
// however often they restart. A minute is evaluated in one transaction that locks the cursor row, reads the events of
// the detectors' longest lookback from the event tables, runs the same engine as the replay, writes the minute's
// values and its alert changes (with their audit rows), and advances the cursor. The windows are recomputed from the
// tables every minute rather than kept as running counters, so a restart can neither lose nor double-count an event.
import { NO_ORIGIN } from "~/audit/actor";
import { appendAuditEvents } from "~/audit/audit-log.server";
import type { DbTx } from "~/db.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import { prisma } from "~/db.server";
import type { DetectorDefinition, Severity } from "./definitions";
import { attemptsSeriesKey, DETECTORS, TAINT_MS } from "./definitions";
import type { AlertTransition, MinuteEvaluation } from "./engine";
import { DetectEngine, InMemorySeriesStore } from "./engine";
import { auditOfMail, mailLeadsAboutAlert } from "./lead-mail.server";
import { MINUTE_MS, minuteOf } from "./events";
import { loadEvents } from "./live-events.server";
import {
  BASELINE_DAYS,
  BASELINE_MARGIN_MS,
  BASELINE_SLOT_MS,
  BASELINE_WEEKS,
  DAY_MS,
  slotOf,
  WEEK_MS,
} from "./seasonal-baseline";

export const DETECT_ACTOR = { kind: "system" as const, id: "system:detect" };
export const CURSOR_NAME = "detectors";
/** A minute is evaluated this long after it closes, so rows committed just after it still count (the banner must show
 *  an alert within 5 s of the close: grace + worker poll + evaluation + feed poll). */
export const CLOSE_GRACE_MS = 1_500;

export interface MinuteOutcome {
  minute: number;
  evaluations: MinuteEvaluation[];
  transitions: AlertTransition[];
  raisedAlertIds: string[];
}

function lookbackMs(definitions: readonly DetectorDefinition[]): number {
  return Math.max(...definitions.map((d) => d.windowMs)) + TAINT_MS;
}

async function loadHistory(tx: DbTx, slot: number): Promise<InMemorySeriesStore> {
  const from: Date[] = [];
  const until: Date[] = [];
  const shifts = [
    ...Array.from({ length: BASELINE_WEEKS }, (_, k) => (k + 1) * WEEK_MS),
    ...Array.from({ length: 2 * BASELINE_DAYS }, (_, k) => (k + 1) * DAY_MS),
  ];
  for (const shift of shifts) {
    from.push(new Date(slot - shift - BASELINE_MARGIN_MS));
    until.push(new Date(slot - shift + BASELINE_SLOT_MS + BASELINE_MARGIN_MS));
  }
  const rows = await tx.$queryRaw<{ detector: string; minute: Date; value: number }[]>`
    SELECT DISTINCT m.detector, m.minute, m.value
      FROM detector_minute m
      JOIN unnest(${from}::timestamptz[], ${until}::timestamptz[]) AS r(f, t) ON m.minute >= r.f AND m.minute < r.t`;
  const store = new InMemorySeriesStore();
  for (const row of rows) store.record(row.detector, row.minute.getTime(), row.value);
  return store;
}

/**
 * Evaluates the next minute if it has closed (plus the grace) and no other worker holds the cursor.
 * Returns null when there is nothing to do now.
 */
export async function evaluateNextMinute(
  now: Date,
  definitions: readonly DetectorDefinition[] = DETECTORS,
): Promise<MinuteOutcome | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO detector_cursor (name, minute, updated_at)
      VALUES (${CURSOR_NAME}, ${new Date(minuteOf(now.getTime()) - 2 * MINUTE_MS)}, ${now})
      ON CONFLICT (name) DO NOTHING`;
    const cursor = await tx.$queryRaw<{ minute: Date }[]>`
      SELECT minute FROM detector_cursor WHERE name = ${CURSOR_NAME} FOR UPDATE SKIP LOCKED`;
    if (cursor.length === 0) return null; // another worker is evaluating
    const minute = cursor[0]!.minute.getTime() + MINUTE_MS;
    if (minute + MINUTE_MS + CLOSE_GRACE_MS > now.getTime()) return null;

    const events = await loadEvents(tx, new Date(minute - lookbackMs(definitions)), new Date(minute + MINUTE_MS));
    const store = await loadHistory(tx, slotOf(minute));
    const engine = new DetectEngine(store, definitions);
    const open = await tx.detectAlert.findMany({ where: { endedAt: null } });
    for (const alert of open) {
      engine.restoreOpenAlert(alert.detector, alert.peakSeverity as Severity, alert.lastAboveAt.getTime());
    }
    for (const event of events) engine.ingest(event);
    const { evaluations, transitions } = engine.closeMinute(minute);

    await tx.detectorMinute.createMany({
      data: evaluations.flatMap((e) => [
        { detector: e.detector, minute: new Date(minute), value: e.value },
        // A rate detector's attempts: the denominator its later minutes learn the usual ratio from.
        ...(e.attempts === undefined
          ? []
          : [{ detector: attemptsSeriesKey(e.detector), minute: new Date(minute), value: e.attempts }]),
      ]),
    });
    const raisedAlertIds = await applyTransitions(tx, minute, evaluations, transitions);
    await tx.detectorCursor.update({
      where: { name: CURSOR_NAME },
      data: { minute: new Date(minute), updatedAt: now },
    });
    return { minute, evaluations, transitions, raisedAlertIds };
  }, TRANSACTION_OPTIONS);
}

async function applyTransitions(
  tx: DbTx,
  minute: number,
  evaluations: MinuteEvaluation[],
  transitions: AlertTransition[],
): Promise<string[]> {
  const at = new Date(minute + MINUTE_MS);
  const raised: string[] = [];
  // Alerts that stay above their threshold stay open: their last minute above moves on.
  for (const e of evaluations) {
    if (e.severity === null) continue;
    await tx.detectAlert.updateMany({
      where: { detector: e.detector, endedAt: null },
      data: { lastAboveAt: new Date(minute) },
    });
  }
  for (const t of transitions) {
    if (t.type === "ended") {
      const ended = await tx.detectAlert.findFirst({ where: { detector: t.detector, endedAt: null } });
      if (!ended) continue;
      await tx.detectAlert.update({ where: { id: ended.id }, data: { endedAt: at } });
      await appendAuditEvents(tx, [
        {
          actor: DETECT_ACTOR,
          origin: NO_ORIGIN,
          action: "detect.alert.end",
          outcome: "SUCCESS",
          targetType: "detect_alert",
          targetId: ended.id,
          after: { detector: t.detector, endedAt: at.toISOString() },
        },
      ]);
      continue;
    }
    const e = t.evaluation;
    const severity = e.severity!;
    const summary = {
      detector: e.detector,
      version: e.version,
      minute: new Date(e.minute).toISOString(),
      severity,
      value: e.value,
      baseline: e.baseline,
      ...(e.attempts === undefined ? {} : { attempts: e.attempts, expectedRatio: e.expectedRatio ?? null }),
      accounts: t.evidence.accounts.length,
      devices: t.evidence.devices.length,
      ips: t.evidence.ips.length,
      stores: t.evidence.stores,
    };
    if (t.type === "escalated") {
      const current = await tx.detectAlert.findFirst({ where: { detector: e.detector, endedAt: null } });
      if (!current) continue;
      await tx.detectAlert.update({
        where: { id: current.id },
        data: { peakSeverity: severity, evidence: { ...t.evidence } },
      });
      await appendAuditEvents(tx, [
        {
          actor: DETECT_ACTOR,
          origin: NO_ORIGIN,
          action: "detect.alert.escalate",
          outcome: "SUCCESS",
          targetType: "detect_alert",
          targetId: current.id,
          before: { severity: current.peakSeverity },
          after: summary,
        },
      ]);
      continue;
    }
    const alert = await tx.detectAlert.create({
      data: {
        detector: e.detector,
        version: e.version,
        minute: new Date(e.minute),
        raisedAt: at,
        severity,
        peakSeverity: severity,
        value: e.value,
        baseline: { ...e.baseline },
        evidence: { ...t.evidence },
        lastAboveAt: new Date(e.minute),
      },
    });
    raised.push(alert.id);
    // In the minute's transaction: the mails exist exactly when the alert does, whatever the workers do.
    const mail = await mailLeadsAboutAlert(tx, {
      alertId: alert.id,
      detector: e.detector,
      severity,
      value: e.value,
      minute: new Date(e.minute),
      evidence: t.evidence,
    });
    await appendAuditEvents(tx, [
      {
        actor: DETECT_ACTOR,
        origin: NO_ORIGIN,
        action: "detect.alert.raise",
        outcome: "SUCCESS",
        targetType: "detect_alert",
        targetId: alert.id,
        after: { ...summary, ...auditOfMail(mail) },
      },
    ]);
  }
  return raised;
}
