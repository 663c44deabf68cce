// The signal search behind the cohort builder: which accounts show the marks of the takeover within a time window.
// One statement evaluates every signal over the window (each a CTE answering "which accounts, and the evidence"),
// scores each account over all of them, and keeps the accounts the selected filters ask for. Every result carries its
// score and the reasons that produced it, with evidence (which device, which IP, which top-up), so a lead can judge
// a borderline account and an auditor can see why it was included.
import type { DbTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { DomainError } from "~/lib/domain-error";
import { SIGNAL_KEYS, SIGNAL_POINTS, type CohortDefinition, type SignalKey } from "~/incidents/cohorts/definition";
import { describeEvidence, type Evidence } from "~/incidents/cohorts/reasons";

/** A saved cohort holds at most this many accounts: beyond it the filters are too loose to act on as one group. */
export const MAX_COHORT_MEMBERS = 50_000;
/** A signal search that runs longer than this is cancelled by the database: the window or thresholds are too wide. */
const STATEMENT_TIMEOUT_MS = 30_000;

export interface SignalReason {
  code: SignalKey | "store";
  points: number;
  /** Whether this signal was one of the builder's filters (the others only add to the score). */
  selected: boolean;
  detail: string;
  evidence: Evidence;
}

export interface SignalMatch {
  customerId: string;
  displayId: string;
  name: string;
  status: string;
  riskScore: number;
  reasons: SignalReason[];
}

export interface SignalSearchResult {
  total: number;
  matches: SignalMatch[];
}

const COLUMN: Record<SignalKey | "store", string> = {
  newDevice: "new_device",
  foreignSignIn: "foreign_sign_in",
  sharedDevice: "shared_device",
  sharedIp: "shared_ip",
  topUpThenResellable: "top_up_resellable",
  contactChangeBeforeTopUp: "contact_change_top_up",
  store: "store_purchase",
};

function membership(definition: CohortDefinition): Prisma.Sql {
  const selected = SIGNAL_KEYS.filter((key) => definition.signals[key].enabled).map((key) =>
    Prisma.raw(`s.${COLUMN[key]} IS NOT NULL`),
  );
  const parts: Prisma.Sql[] = [];
  if (selected.length > 0) {
    parts.push(Prisma.sql`(${Prisma.join(selected, definition.match === "all" ? " AND " : " OR ")})`);
  }
  if (definition.storeIds.length > 0) parts.push(Prisma.raw("s.store_purchase IS NOT NULL"));
  return Prisma.join(parts, " AND ");
}

function scoreExpression(): Prisma.Sql {
  return Prisma.raw(
    SIGNAL_KEYS.map((key) => `(CASE WHEN s.${COLUMN[key]} IS NULL THEN 0 ELSE ${SIGNAL_POINTS[key]} END)`).join(" + "),
  );
}

interface Row {
  customer_id: string;
  display_id: string;
  name: string;
  status: string;
  score: number;
  total: bigint | number;
  new_device: Evidence | null;
  foreign_sign_in: Evidence | null;
  shared_device: Evidence | null;
  shared_ip: Evidence | null;
  top_up_resellable: Evidence | null;
  contact_change_top_up: Evidence | null;
  store_purchase: Evidence | null;
}

function signalSql(definition: CohortDefinition, limit: number): Prisma.Sql {
  const { from, to } = definition.window;
  const { signals } = definition;
  const stores = definition.storeIds;
  return Prisma.sql`
    WITH w AS MATERIALIZED (
      SELECT l.customer_id, l.device_id, l.ip, l.country, l.success, l.new_device, l.occurred_at
        FROM login_event l
       WHERE l.occurred_at >= ${from} AND l.occurred_at < ${to}
    ),
    new_device AS (
      SELECT DISTINCT ON (w.customer_id) w.customer_id,
             jsonb_build_object('at', w.occurred_at, 'ip', w.ip, 'country', w.country,
                                'platform', d.platform, 'model', d.model) AS evidence
        FROM w LEFT JOIN device d ON d.id = w.device_id
       WHERE w.success AND w.new_device
       ORDER BY w.customer_id, w.occurred_at
    ),
    foreign_sign_in AS (
      SELECT DISTINCT ON (w.customer_id) w.customer_id,
             jsonb_build_object('at', w.occurred_at, 'ip', w.ip, 'country', w.country) AS evidence
        FROM w
       WHERE w.success AND w.country <> ${signals.foreignSignIn.homeCountry}
       ORDER BY w.customer_id, w.occurred_at
    ),
    device_use AS (
      SELECT d.fingerprint, w.customer_id, min(w.occurred_at) AS first_at
        FROM w JOIN device d ON d.id = w.device_id
       WHERE w.success
       GROUP BY d.fingerprint, w.customer_id
    ),
    shared_fingerprint AS (
      SELECT fingerprint, count(*) AS accounts FROM device_use
       GROUP BY fingerprint HAVING count(*) >= ${signals.sharedDevice.minAccounts}::int
    ),
    shared_device AS (
      SELECT DISTINCT ON (u.customer_id) u.customer_id,
             jsonb_build_object('fingerprint', u.fingerprint, 'accounts', f.accounts, 'at', u.first_at) AS evidence
        FROM device_use u JOIN shared_fingerprint f ON f.fingerprint = u.fingerprint
       ORDER BY u.customer_id, f.accounts DESC, u.fingerprint
    ),
    ip_use AS (
      SELECT w.ip, w.customer_id, bool_or(w.success) AS signed_in,
             min(w.occurred_at) FILTER (WHERE w.success) AS first_success
        FROM w GROUP BY w.ip, w.customer_id
    ),
    shared_address AS (
      SELECT ip, count(*) AS accounts, count(*) FILTER (WHERE signed_in) AS signed_in FROM ip_use
       GROUP BY ip HAVING count(*) >= ${signals.sharedIp.minAccounts}::int
    ),
    shared_ip AS (
      SELECT DISTINCT ON (u.customer_id) u.customer_id,
             jsonb_build_object('ip', u.ip, 'accounts', a.accounts, 'signedIn', a.signed_in,
                                'at', u.first_success) AS evidence
        FROM ip_use u JOIN shared_address a ON a.ip = u.ip
       WHERE u.signed_in
       ORDER BY u.customer_id, a.accounts DESC, u.ip
    ),
    top_up_resellable AS (
      SELECT DISTINCT ON (x.customer_id) x.customer_id,
             jsonb_build_object('topUpId', x.id, 'at', x.occurred_at, 'amount', x.amount, 'resellableYen', x.yen,
                                'purchases', x.purchases, 'lastPurchaseAt', x.last_at) AS evidence
        FROM (SELECT t.customer_id, t.id, t.occurred_at, t.amount, sum(i.quantity * i.unit_price) AS yen,
                     count(DISTINCT p.id) AS purchases, max(p.occurred_at) AS last_at
                FROM ledger_transaction t
                JOIN purchase p ON p.customer_id = t.customer_id AND p.occurred_at > t.occurred_at
                               AND p.occurred_at <= t.occurred_at + make_interval(hours => ${signals.topUpThenResellable.withinHours}::int)
                JOIN purchase_item i ON i.purchase_id = p.id
                JOIN product_category c ON c.code = i.category_code AND c.resellable
               WHERE t.kind = 'TOP_UP' AND t.channel = 'CREDIT_CARD'
                 AND t.occurred_at >= ${from} AND t.occurred_at < ${to}
               GROUP BY t.customer_id, t.id, t.occurred_at, t.amount
              HAVING sum(i.quantity * i.unit_price) >= ${signals.topUpThenResellable.minYen}::int) x
       ORDER BY x.customer_id, x.yen DESC, x.occurred_at
    ),
    contact_change_top_up AS (
      SELECT DISTINCT ON (c.customer_id) c.customer_id,
             jsonb_build_object('field', c.field::text, 'changedAt', c.changed_at, 'source', c.source,
                                'topUpAt', t.occurred_at, 'amount', t.amount, 'channel', t.channel::text) AS evidence
        FROM contact_change c
        JOIN ledger_transaction t ON t.customer_id = c.customer_id AND t.kind = 'TOP_UP'
                                 AND t.occurred_at >= c.changed_at
                                 AND t.occurred_at <= c.changed_at + make_interval(hours => ${signals.contactChangeBeforeTopUp.withinHours}::int)
       WHERE t.occurred_at >= ${from} AND t.occurred_at < ${to}
         AND c.changed_at >= ${from}::timestamptz - make_interval(hours => ${signals.contactChangeBeforeTopUp.withinHours}::int)
         AND c.changed_at < ${to}
       ORDER BY c.customer_id, c.changed_at, t.occurred_at
    ),
    store_purchase AS (
      ${
        stores.length > 0
          ? Prisma.sql`SELECT p.customer_id,
                              jsonb_build_object('stores', jsonb_agg(DISTINCT st.code), 'purchases', count(*),
                                                 'yen', sum(p.total)) AS evidence
                         FROM purchase p JOIN store st ON st.id = p.store_id
                        WHERE p.store_id IN (${Prisma.join(stores.map((id) => Prisma.sql`${id}::uuid`))})
                          AND p.occurred_at >= ${from} AND p.occurred_at < ${to}
                        GROUP BY p.customer_id`
          : Prisma.sql`SELECT NULL::uuid AS customer_id, NULL::jsonb AS evidence WHERE false`
      }
    ),
    candidates AS (
      SELECT customer_id FROM new_device UNION SELECT customer_id FROM foreign_sign_in
      UNION SELECT customer_id FROM shared_device UNION SELECT customer_id FROM shared_ip
      UNION SELECT customer_id FROM top_up_resellable UNION SELECT customer_id FROM contact_change_top_up
      UNION SELECT customer_id FROM store_purchase
    ),
    s AS (
      SELECT k.customer_id, nd.evidence AS new_device, fs.evidence AS foreign_sign_in, sd.evidence AS shared_device,
             si.evidence AS shared_ip, tr.evidence AS top_up_resellable, cc.evidence AS contact_change_top_up,
             sp.evidence AS store_purchase
        FROM candidates k
        LEFT JOIN new_device nd ON nd.customer_id = k.customer_id
        LEFT JOIN foreign_sign_in fs ON fs.customer_id = k.customer_id
        LEFT JOIN shared_device sd ON sd.customer_id = k.customer_id
        LEFT JOIN shared_ip si ON si.customer_id = k.customer_id
        LEFT JOIN top_up_resellable tr ON tr.customer_id = k.customer_id
        LEFT JOIN contact_change_top_up cc ON cc.customer_id = k.customer_id
        LEFT JOIN store_purchase sp ON sp.customer_id = k.customer_id
    ),
    kept AS (
      SELECT s.*, (${scoreExpression()}) AS score FROM s WHERE ${membership(definition)}
    )
    SELECT kept.customer_id::text AS customer_id, c.display_id, c.name, c.status::text AS status, kept.score,
           count(*) OVER () AS total,
           kept.new_device, kept.foreign_sign_in, kept.shared_device, kept.shared_ip, kept.top_up_resellable,
           kept.contact_change_top_up, kept.store_purchase
      FROM kept JOIN customer c ON c.id = kept.customer_id
     WHERE kept.score >= ${definition.minScore}::int
     ORDER BY kept.score DESC, c.display_id
     LIMIT ${limit}`;
}

function toMatch(row: Row, definition: CohortDefinition): SignalMatch {
  const reasons: SignalReason[] = [];
  for (const key of SIGNAL_KEYS) {
    const evidence = row[COLUMN[key] as keyof Row] as Evidence | null;
    if (evidence === null) continue;
    reasons.push({
      code: key,
      points: SIGNAL_POINTS[key],
      selected: definition.signals[key].enabled,
      detail: describeEvidence(key, evidence),
      evidence,
    });
  }
  if (row.store_purchase) {
    reasons.push({
      code: "store",
      points: 0,
      selected: true,
      detail: describeEvidence("store", row.store_purchase),
      evidence: row.store_purchase,
    });
  }
  return {
    customerId: row.customer_id,
    displayId: row.display_id,
    name: row.name,
    status: row.status,
    riskScore: Number(row.score),
    reasons,
  };
}

function isStatementTimeout(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error);
  return text.includes("57014") || text.includes("statement timeout") || text.includes("canceling statement");
}

/**
 * Runs the signal search inside the caller's transaction (`tx`), highest score first, at most `limit` accounts.
 * `total` is how many accounts matched in all. A search the database cancels for running too long is refused with a
 * message; it never hangs the console.
 */
export async function findSignalMatches(
  tx: DbTx,
  definition: CohortDefinition,
  limit: number,
): Promise<SignalSearchResult> {
  await tx.$executeRaw`SELECT set_config('statement_timeout', ${String(STATEMENT_TIMEOUT_MS)}, true)`;
  let rows: Row[];
  try {
    rows = await tx.$queryRaw<Row[]>(signalSql(definition, Math.max(1, Math.min(limit, MAX_COHORT_MEMBERS + 1))));
  } catch (error) {
    if (isStatementTimeout(error)) {
      throw new DomainError(
        "SIGNAL_SEARCH_TOO_BROAD",
        "That search covers too much to finish quickly: narrow the window or raise the thresholds.",
        422,
      );
    }
    throw error;
  }
  return { total: rows.length > 0 ? Number(rows[0]!.total) : 0, matches: rows.map((row) => toMatch(row, definition)) };
}
