// The command center's figures for one incident, each computed by one aggregation query straight from the ledger, the
// case table, the switch history, the bulk jobs and the notification outbox, and stamped with the time it was computed.
//
// Definitions (shared with the breach report and checked by an independent recomputation in the tests):
//   victims     = the accounts with a case in the incident;
//   stolen      = the victims' top-ups that occurred on or after the incident opened (the attackers' top-ups);
//   reversed    = reversals of those top-ups (money back on the card); a reversed purchase only returns store money
//                 to the wallet, so it is not counted;
//   outstanding = stolen − reversed.
import { prisma } from "~/db.server";
import type { CaseStatus } from "~/generated/prisma/enums";
import { CASE_FLOW } from "~/incidents/case-flow";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { chooseBucket, type MoneyPoint } from "~/incidents/command/buckets";
import { isUuid } from "~/lib/uuid";

export interface IncidentRef {
  id: string;
  code: string;
  title: string;
  summary: string;
  status: string;
  openedAt: Date;
}

export interface MoneyFigures {
  stolenYen: number;
  reversedYen: number;
  outstandingYen: number;
  victims: number;
  bucketMs: number;
  series: MoneyPoint[];
}

export interface FunnelStage {
  status: CaseStatus;
  /** Cases whose current state is this one. */
  current: number;
  /** Cases that are in this state or went past it. */
  reached: number;
  /** Median time from the case opening to first reaching this state, from the audited transitions. */
  medianMsFromOpen: number | null;
}

export interface SwitchStrip {
  key: string;
  label: string;
  engaged: boolean;
  changes: { kind: string; engaged: boolean; at: Date; version: number }[];
}

export interface JobProgress {
  id: string;
  kind: string;
  status: string;
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  amountDoneYen: number;
  createdAt: Date;
}

/**
 * A notice campaign's progress, from the outbox's states (ADR 008):
 *   queued    = waiting for the worker or in an SMTP transaction now (QUEUED, SENDING);
 *   delivered = the relay accepted it (SMTP 250 for the recipient): delivered to the next hop, not yet read;
 *   bounced   = the relay refused it for good (a 5xx reply or a rejected recipient);
 *   failed    = the worker gave up: temporary refusals or an unreachable relay until the last attempt, or a message
 *               that could not be handed over at all;
 *   uncertain = the connection died mid-transaction without a reply: it may have arrived, and waits for a reviewer;
 *   sent      = what the worker is done trying: delivered + bounced + failed + uncertain;
 *   skipped   = never sent (no verified address, or an address the attacker may have set).
 * total = queued + sent + skipped.
 */
export interface CampaignProgress {
  template: string;
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  uncertain: number;
  skipped: number;
}

export interface DestinationRow {
  key: string;
  /** The name as a Japanese reader knows it (a store's name and area; a product category's Japanese name). */
  label: string;
  /** The name for an English reader: a category's English name; a store has none, so its Japanese one. */
  labelEn: string;
  yen: number;
  purchases: number;
}

export interface CommandFigures {
  incident: IncidentRef;
  computedAt: Date;
  money: MoneyFigures;
  funnel: FunnelStage[];
  switches: SwitchStrip[];
  jobs: JobProgress[];
  campaigns: CampaignProgress[];
  stores: DestinationRow[];
  products: DestinationRow[];
}

const TOP_DESTINATIONS = 10;

// Incident codes are short ASCII (INC-2019-07-7PAY): anything else is not one, and never reaches a query.
const INCIDENT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function findIncident(idOrCode: string): Promise<IncidentRef> {
  if (!isUuid(idOrCode) && !INCIDENT_CODE.test(idOrCode)) {
    throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  }
  const incident = await prisma.incident.findFirst({
    where: isUuid(idOrCode) ? { id: idOrCode } : { code: idOrCode },
    select: { id: true, code: true, title: true, summary: true, status: true, openedAt: true },
  });
  if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  return incident;
}

export async function loadMoneyFigures(incident: IncidentRef, until: Date): Promise<MoneyFigures> {
  const [totals] = await prisma.$queryRaw<
    { stolen: bigint | null; reversed: bigint | null; victims: bigint; first: Date | null; last: Date | null }[]
  >`
    WITH victims AS (SELECT customer_id FROM incident_case WHERE incident_id = ${incident.id}::uuid),
    stolen AS (SELECT t.id, t.amount, t.occurred_at FROM ledger_transaction t JOIN victims v USING (customer_id)
                WHERE t.kind = 'TOP_UP' AND t.occurred_at >= ${incident.openedAt}),
    reversed AS (SELECT r.amount, r.occurred_at FROM ledger_transaction r JOIN stolen s ON s.id = r.reverses_id
                  WHERE r.kind = 'REVERSAL')
    SELECT (SELECT SUM(amount) FROM stolen) AS stolen, (SELECT SUM(amount) FROM reversed) AS reversed,
           (SELECT COUNT(*) FROM victims) AS victims,
           (SELECT MIN(occurred_at) FROM stolen) AS first,
           GREATEST((SELECT MAX(occurred_at) FROM stolen), (SELECT MAX(occurred_at) FROM reversed)) AS last`;
  const stolenYen = Number(totals?.stolen ?? 0);
  const reversedYen = Number(totals?.reversed ?? 0);
  const start = incident.openedAt;
  const end = totals?.last && totals.last > until ? totals.last : until;
  const bucketMs = chooseBucket(end.getTime() - start.getTime());
  const rows = await prisma.$queryRaw<{ bucket: Date; stolen: bigint | null; reversed: bigint | null }[]>`
    WITH victims AS (SELECT customer_id FROM incident_case WHERE incident_id = ${incident.id}::uuid),
    stolen AS (SELECT t.id, t.amount, t.occurred_at FROM ledger_transaction t JOIN victims v USING (customer_id)
                WHERE t.kind = 'TOP_UP' AND t.occurred_at >= ${incident.openedAt}),
    moves AS (SELECT occurred_at, amount AS stolen, 0 AS reversed FROM stolen
              UNION ALL
              SELECT r.occurred_at, 0, r.amount FROM ledger_transaction r JOIN stolen s ON s.id = r.reverses_id
               WHERE r.kind = 'REVERSAL')
    SELECT date_bin(make_interval(secs => ${bucketMs / 1000}), occurred_at, ${start}) AS bucket,
           SUM(stolen) AS stolen, SUM(reversed) AS reversed
      FROM moves GROUP BY 1 ORDER BY 1`;
  let stolen = 0;
  let reversed = 0;
  const series: MoneyPoint[] = [{ at: start.getTime(), stolenYen: 0, reversedYen: 0, outstandingYen: 0 }];
  for (const row of rows) {
    stolen += Number(row.stolen ?? 0);
    reversed += Number(row.reversed ?? 0);
    // A bucket's point stands at its end: the money moved within it has happened by then.
    const at = new Date(row.bucket).getTime() + bucketMs;
    series.push({ at, stolenYen: stolen, reversedYen: reversed, outstandingYen: stolen - reversed });
  }
  return {
    stolenYen,
    reversedYen,
    outstandingYen: stolenYen - reversedYen,
    victims: Number(totals?.victims ?? 0),
    bucketMs,
    series,
  };
}

export async function loadCaseFunnel(incident: IncidentRef): Promise<FunnelStage[]> {
  const counts = await prisma.incidentCase.groupBy({
    by: ["status"],
    where: { incidentId: incident.id },
    _count: { _all: true },
  });
  // The first time each case entered each state, from the audited transitions (the case row keeps only its state).
  const timings = await prisma.$queryRaw<{ status: string; median_ms: number | null }[]>`
    WITH firsts AS (
      SELECT e.target_id, e.after->>'status' AS status, MIN(e.occurred_at) AS at
        FROM audit_event e
       WHERE e.incident_id = ${incident.id} AND e.action = 'case.transition' AND e.outcome = 'SUCCESS'
       GROUP BY 1, 2)
    SELECT f.status,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (f.at - c.opened_at)) * 1000) AS median_ms
      FROM firsts f JOIN incident_case c ON c.id::text = f.target_id
     GROUP BY f.status`;
  const current = new Map(counts.map((row) => [row.status as string, row._count._all]));
  const median = new Map(timings.map((row) => [row.status, row.median_ms === null ? null : Number(row.median_ms)]));
  return CASE_FLOW.map((status, index) => ({
    status,
    current: current.get(status) ?? 0,
    reached: CASE_FLOW.slice(index).reduce((sum, later) => sum + (current.get(later) ?? 0), 0),
    medianMsFromOpen: status === "OPEN" ? 0 : (median.get(status) ?? null),
  }));
}

export async function loadSwitchStrips(incident: IncidentRef): Promise<SwitchStrip[]> {
  const switches = await prisma.killSwitch.findMany({
    orderBy: { key: "asc" },
    select: {
      key: true,
      label: true,
      engaged: true,
      changes: {
        where: { occurredAt: { gte: incident.openedAt } },
        orderBy: { version: "asc" },
        select: { kind: true, engaged: true, occurredAt: true, version: true },
      },
    },
  });
  return switches.map((s) => ({
    key: s.key,
    label: s.label,
    engaged: s.engaged,
    changes: s.changes.map((c) => ({ kind: c.kind, engaged: c.engaged, at: c.occurredAt, version: c.version })),
  }));
}

export async function loadJobProgress(incident: IncidentRef): Promise<JobProgress[]> {
  const jobs = await prisma.bulkJob.findMany({
    where: { incidentId: incident.id },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return jobs.map((job) => ({
    id: job.id,
    kind: job.kind,
    status: job.status,
    total: job.itemsTotal,
    succeeded: job.itemsSucceeded,
    skipped: job.itemsSkipped,
    failed: job.itemsFailed,
    amountDoneYen: Number(job.amountDone),
    createdAt: job.createdAt,
  }));
}

export async function loadCampaignProgress(incident: IncidentRef): Promise<CampaignProgress[]> {
  const rows = await prisma.outboundMessage.groupBy({
    by: ["template", "status", "failure"],
    where: { incidentId: incident.id },
    _count: { _all: true },
  });
  const byTemplate = new Map<string, CampaignProgress>();
  for (const row of rows) {
    const campaign = byTemplate.get(row.template) ?? {
      template: row.template,
      total: 0,
      queued: 0,
      sent: 0,
      delivered: 0,
      bounced: 0,
      failed: 0,
      uncertain: 0,
      skipped: 0,
    };
    const n = row._count._all;
    campaign.total += n;
    if (row.status === "QUEUED" || row.status === "SENDING") campaign.queued += n;
    else if (row.status === "SKIPPED") campaign.skipped += n;
    else {
      campaign.sent += n;
      if (row.status === "SENT") campaign.delivered += n;
      else if (row.status === "UNCERTAIN") campaign.uncertain += n;
      else if (row.failure === "REJECTED") campaign.bounced += n;
      else campaign.failed += n;
    }
    byTemplate.set(row.template, campaign);
  }
  return [...byTemplate.values()].sort((a, b) => a.template.localeCompare(b.template));
}

interface DestinationSql {
  key: string;
  label: string;
  label_en: string | null;
  yen: bigint;
  purchases: bigint;
}

/** Where the victims' wallet money was spent since the incident opened: per store and per product category. */
export async function loadDestinations(
  incident: IncidentRef,
): Promise<{ stores: DestinationRow[]; products: DestinationRow[] }> {
  const stores = await prisma.$queryRaw<DestinationSql[]>`
    SELECT s.code AS key, s.name || '（' || s.area || '）' AS label, NULL AS label_en, SUM(p.total) AS yen, COUNT(*) AS purchases
      FROM purchase p JOIN store s ON s.id = p.store_id
      JOIN incident_case c ON c.customer_id = p.customer_id AND c.incident_id = ${incident.id}::uuid
     WHERE p.occurred_at >= ${incident.openedAt}
     GROUP BY s.code, s.name, s.area ORDER BY yen DESC, s.code LIMIT ${TOP_DESTINATIONS}`;
  // Both names, not one joined to the other: the figures are shared by every viewer, whatever their language.
  const products = await prisma.$queryRaw<DestinationSql[]>`
    SELECT pc.code AS key, pc.name_ja AS label, pc.name_en AS label_en,
           SUM(i.quantity * i.unit_price) AS yen, COUNT(DISTINCT p.id) AS purchases
      FROM purchase p JOIN purchase_item i ON i.purchase_id = p.id JOIN product_category pc ON pc.code = i.category_code
      JOIN incident_case c ON c.customer_id = p.customer_id AND c.incident_id = ${incident.id}::uuid
     WHERE p.occurred_at >= ${incident.openedAt}
     GROUP BY pc.code, pc.name_ja, pc.name_en ORDER BY yen DESC, pc.code LIMIT ${TOP_DESTINATIONS}`;
  const toRow = (r: DestinationSql): DestinationRow => ({
    key: r.key,
    label: r.label,
    labelEn: r.label_en ?? r.label,
    yen: Number(r.yen),
    purchases: Number(r.purchases),
  });
  return { stores: stores.map(toRow), products: products.map(toRow) };
}

/** The dashboard's parts, each one aggregation (or two) over its own tables: a live update reloads only the changed. */
export const FIGURE_SECTIONS = ["money", "funnel", "switches", "jobs", "campaigns", "destinations"] as const;
export type FigureSection = (typeof FIGURE_SECTIONS)[number];

export async function loadCommandFigures(idOrCode: string): Promise<CommandFigures> {
  return refreshCommandFigures(idOrCode, null, new Set(FIGURE_SECTIONS));
}

/**
 * The figures with `sections` computed afresh and the others taken from `previous` (which must be of the same
 * incident, and whose other sections the caller knows to be unchanged). Without `previous`, every section is computed.
 */
export async function refreshCommandFigures(
  idOrCode: string,
  previous: CommandFigures | null,
  sections: ReadonlySet<FigureSection>,
): Promise<CommandFigures> {
  const incident = await findIncident(idOrCode);
  const computedAt = now();
  const fresh = (section: FigureSection) => !previous || previous.incident.id !== incident.id || sections.has(section);
  // Sequential on purpose: PGlite is one connection, and on PostgreSQL this keeps one poll to one connection.
  const money = fresh("money") ? await loadMoneyFigures(incident, computedAt) : previous!.money;
  const funnel = fresh("funnel") ? await loadCaseFunnel(incident) : previous!.funnel;
  const switches = fresh("switches") ? await loadSwitchStrips(incident) : previous!.switches;
  const jobs = fresh("jobs") ? await loadJobProgress(incident) : previous!.jobs;
  const campaigns = fresh("campaigns") ? await loadCampaignProgress(incident) : previous!.campaigns;
  const { stores, products } = fresh("destinations")
    ? await loadDestinations(incident)
    : { stores: previous!.stores, products: previous!.products };
  return { incident, computedAt, money, funnel, switches, jobs, campaigns, stores, products };
}
