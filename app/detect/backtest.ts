// Replay mode: the live engine on a simulated clock over recorded events, scored against the ground truth.
import type { DetectorDefinition, Severity } from "./definitions";
import { DETECTORS, severityRank } from "./definitions";
import type { AlertTransition, Evidence } from "./engine";
import { DetectEngine, InMemorySeriesStore } from "./engine";
import type { DetectEvent } from "./events";
import { MINUTE_MS, minuteOf } from "./events";
import { WARM_UP_MS, WEEK_MS } from "./seasonal-baseline";

/** "If one of these detectors alerts at or above this severity, engage this switch." */
export interface PolicySpec {
  detectors: readonly string[];
  minSeverity: Severity;
  switchKey: string;
}

/** Which top-up channels each top-up switch stops. */
export const SWITCH_CHANNELS: Record<string, readonly string[]> = {
  "topup.all": ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"],
  "topup.credit_card": ["CREDIT_CARD"],
  "topup.bank": ["BANK"],
  "topup.convenience_cash": ["CONVENIENCE_CASH"],
};

export interface BacktestInput {
  events: readonly DetectEvent[]; // sorted by time
  from: number;
  until: number;
  /** Ground truth: the attacker's events (to tell true alerts from false ones and to price containment). */
  attack: ReadonlySet<DetectEvent>;
  fraudTopUps: ReadonlySet<DetectEvent>;
  /** The detectors to run (all of them unless a test looks at one). */
  detectors?: readonly DetectorDefinition[];
}

export interface RaisedAlert {
  detector: string;
  version: number;
  minute: number;
  /** When the alert exists: the end of the minute it concerns. */
  raisedAt: number;
  severity: Severity;
  /** Highest severity the alert reached while open. */
  peakSeverity: Severity;
  value: number;
  /** When it was raised and each time it escalated. */
  severityAt: { at: number; severity: Severity }[];
  evidence: Evidence;
  /** When its evidence first named an account, device or IP of the attack; null: a false alert. */
  trueAt: number | null;
}

export interface BacktestResult {
  alerts: RaisedAlert[];
  firstFraudTopUpAt: number | null;
  fraudTopUpYen: number;
  /** Weeks in which the detectors could judge (after their warm-up). */
  judgedWeeks: number;
}

function attackEntities(attack: ReadonlySet<DetectEvent>) {
  const accounts = new Set<string>();
  const devices = new Set<string>();
  const ips = new Set<string>();
  for (const e of attack) {
    accounts.add(e.customerId);
    if (e.kind === "signin") {
      ips.add(e.ip);
      if (e.fingerprint) devices.add(e.fingerprint);
    }
  }
  return { accounts, devices, ips };
}

/** Runs every detector minute by minute from `from` to `until`, exactly as the live worker would. */
export function runBacktest(input: BacktestInput): BacktestResult {
  const steps = backtestSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same run, giving the event loop back after every simulated day: for a server that must keep answering (the
 * console's own requests and live streams) while it backtests for a page.
 */
export async function runBacktestAsync(input: BacktestInput): Promise<BacktestResult> {
  const steps = backtestSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const MINUTES_PER_STEP = 24 * 60;

function* backtestSteps(input: BacktestInput): Generator<void, BacktestResult> {
  const engine = new DetectEngine(new InMemorySeriesStore(), input.detectors ?? DETECTORS);
  const truth = attackEntities(input.attack);
  const alerts: RaisedAlert[] = [];
  const open = new Map<string, RaisedAlert>();
  const isTrue = (ev: Evidence) =>
    ev.accounts.some((a) => truth.accounts.has(a)) ||
    ev.devices.some((d) => truth.devices.has(d)) ||
    ev.ips.some((i) => truth.ips.has(i));
  const record = (t: AlertTransition) => {
    if (t.type === "ended") {
      open.delete(t.detector);
      return;
    }
    const e = t.evaluation;
    const at = e.minute + MINUTE_MS;
    const named = isTrue(t.evidence);
    const existing = t.type === "escalated" ? open.get(e.detector) : undefined;
    if (existing) {
      existing.peakSeverity = e.severity!;
      existing.severityAt.push({ at, severity: e.severity! });
      if (named && existing.trueAt === null) existing.trueAt = at;
      return;
    }
    const alert: RaisedAlert = {
      detector: e.detector,
      version: e.version,
      minute: e.minute,
      raisedAt: at,
      severity: e.severity!,
      peakSeverity: e.severity!,
      severityAt: [{ at, severity: e.severity! }],
      value: e.value,
      evidence: t.evidence,
      trueAt: named ? at : null,
    };
    open.set(e.detector, alert);
    alerts.push(alert);
  };

  let next = 0;
  const events = input.events;
  while (next < events.length && events[next]!.at < input.from) next += 1;
  let sinceYield = 0;
  for (let minute = minuteOf(input.from); minute < input.until; minute += MINUTE_MS) {
    const end = minute + MINUTE_MS;
    while (next < events.length && events[next]!.at < end) engine.ingest(events[next++]!);
    for (const t of engine.closeMinute(minute).transitions) record(t);
    if (++sinceYield === MINUTES_PER_STEP) {
      sinceYield = 0;
      yield;
    }
  }

  let firstFraudTopUpAt: number | null = null;
  let fraudTopUpYen = 0;
  for (const e of input.fraudTopUps) {
    if (e.kind !== "topup") continue;
    fraudTopUpYen += e.amount;
    if (firstFraudTopUpAt === null || e.at < firstFraudTopUpAt) firstFraudTopUpAt = e.at;
  }
  const judgedFrom = input.from + WARM_UP_MS;
  return { alerts, firstFraudTopUpAt, fraudTopUpYen, judgedWeeks: Math.max(0, input.until - judgedFrom) / WEEK_MS };
}

export interface DetectorScore {
  detector: string;
  version: number;
  /** First true alert minus the first fraudulent top-up (negative: the alert came first); null: never alerted. */
  leadMs: number | null;
  firstTrueAlertAt: number | null;
  falseAlerts: number;
  falseAlertsPerWeek: number;
}

export function scoreDetectors(result: BacktestResult): DetectorScore[] {
  return DETECTORS.map((d) => {
    const mine = result.alerts.filter((a) => a.detector === d.key);
    const trueAts = mine.flatMap((a) => (a.trueAt === null ? [] : [a.trueAt]));
    const firstTrueAt = trueAts.length > 0 ? Math.min(...trueAts) : null;
    const falseAlerts = mine.filter((a) => a.trueAt === null).length;
    return {
      detector: d.key,
      version: d.version,
      firstTrueAlertAt: firstTrueAt,
      leadMs: firstTrueAt !== null && result.firstFraudTopUpAt !== null ? firstTrueAt - result.firstFraudTopUpAt : null,
      falseAlerts,
      falseAlertsPerWeek: result.judgedWeeks > 0 ? falseAlerts / result.judgedWeeks : 0,
    };
  });
}

export interface PolicyOutcome {
  /** When the policy would first have engaged its switch on the attack (null: never). */
  engagedAt: number | null;
  /** Firings on alerts that name nothing of the attack: what the leads would have had to release. */
  falseFirings: number;
  /** Fraudulent top-ups the switch would not have stopped (before it engaged, or in channels it does not cover). */
  yenTaken: number;
}

/** What pricing a policy needs of an alert: its detector, when it reached each severity, when it named the attack. */
export type PricedAlert = Pick<RaisedAlert, "detector" | "trueAt" | "severityAt">;

/** What pricing a policy needs of a fraudulent top-up (a recorded wave keeps only this; ADR 102). */
export interface PricedTopUp {
  kind: "topup";
  at: number;
  amount: number;
  channel: string | null;
}

export function applyPolicy(
  result: { alerts: readonly PricedAlert[] },
  fraudTopUps: Iterable<DetectEvent | PricedTopUp>,
  policy: PolicySpec,
): PolicyOutcome {
  const rank = severityRank(policy.minSeverity);
  // The moment each alert of the policy's detectors first reached the policy's severity.
  const fires = result.alerts.flatMap((a) => {
    if (!policy.detectors.includes(a.detector)) return [];
    const reached = a.severityAt.find((s) => severityRank(s.severity) >= rank);
    return reached ? [{ at: Math.max(reached.at, a.trueAt ?? reached.at), alert: a }] : [];
  });
  const trueFires = fires.filter((f) => f.alert.trueAt !== null).map((f) => f.at);
  const engagedAt = trueFires.length > 0 ? Math.min(...trueFires) : null;
  const channels = SWITCH_CHANNELS[policy.switchKey] ?? [];
  let yenTaken = 0;
  for (const e of fraudTopUps) {
    if (e.kind !== "topup") continue;
    const stopped = engagedAt !== null && e.at >= engagedAt && channels.includes(e.channel ?? "");
    if (!stopped) yenTaken += e.amount;
  }
  return { engagedAt, falseFirings: fires.filter((f) => f.alert.trueAt === null).length, yenTaken };
}
