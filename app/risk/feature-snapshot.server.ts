// The live source of feature snapshots: one SQL statement inside the wallet event's own transaction (top-up, purchase,
// sign-in, contact change or reset request), every part of it an index range scan bounded by the customer, the device
// or the IP and by the last 24 hours (indexes listed in migrations 20261204050000 and 20261206010000), so its cost
// does not grow with the number of customers.
import type { DbTx } from "~/db.server";
import {
  LONGEST_WINDOW_MS,
  MAX_COUNTED_ACCOUNTS,
  MAX_COUNTED_RESETS,
  originOf,
  type FeatureSnapshot,
  type RiskEvent,
  type SignInRow,
  type TopUpEvent,
} from "~/risk/features";

interface SnapshotJson {
  created_at: string | null;
  two_factor: boolean | null;
  sign_in: {
    at: string;
    ip: string;
    country: string;
    fingerprint: string | null;
    first_seen_at: string | null;
  } | null;
  fingerprint_sign_ins: { customer_id: string; at: string }[] | null;
  ip_sign_ins: { customer_id: string; at: string }[] | null;
  contact_change_at: string | null;
  contact_changes: string[] | null;
  reset_requests: string[] | null;
  ip_reset_requests: { customer_id: string | null; at: string }[] | null;
  top_ups: { at: string; amount: number; funding_source_id: string | null }[] | null;
  purchases: { at: string; amount: number }[] | null;
}

export class CustomerUnknownForRiskError extends Error {}

const signIns = (rows: SnapshotJson["ip_sign_ins"]): SignInRow[] =>
  (rows ?? []).map((r) => ({ customerId: r.customer_id, at: new Date(r.at) }));

/** The customer's changes of the last 24 hours before t, and the latest at or before t (once, even if it is one of them). */
function contactChanges(json: SnapshotJson): Date[] {
  const recent = (json.contact_changes ?? []).map((at) => new Date(at));
  const latest = json.contact_change_at ? new Date(json.contact_change_at) : null;
  if (latest && !recent.some((at) => at.getTime() === latest.getTime())) recent.push(latest);
  return recent;
}

/**
 * What was known about this event's customer, device and IP at `event.at`, read in the caller's transaction. A top-up
 * without a kind is a top-up. The device and IP are a sign-in's own, or the customer's latest sign-in's.
 */
export async function readFeatureSnapshot(tx: DbTx, event: RiskEvent | TopUpEvent): Promise<FeatureSnapshot> {
  const at = event.at;
  const origin = "kind" in event ? originOf(event) : null;
  const since = new Date(at.getTime() - LONGEST_WINDOW_MS);
  const kind = "kind" in event ? event.kind : "TOP_UP";
  // Reset requests and the day's contact changes are read only for the kinds that have those features (money events
  // never pay for them: their query is the one it was before these kinds existed).
  const accountKind = kind === "SIGN_IN" || kind === "CONTACT_CHANGE" || kind === "RESET_REQUEST";
  const resetIp = "kind" in event && event.kind === "RESET_REQUEST" ? event.ip : null;
  // Per device and IP: the latest sign-in of each account (the features count distinct accounts), capped.
  const rows = await tx.$queryRawUnsafe<{ snapshot: string }[]>(
    `WITH last_sign_in AS (
       SELECT l.occurred_at, l.ip, l.country, d.fingerprint, d.first_seen_at
         FROM login_event l LEFT JOIN device d ON d.id = l.device_id
        WHERE l.customer_id = $1::uuid AND l.success AND l.occurred_at <= $2::timestamptz
        ORDER BY l.occurred_at DESC LIMIT 1)
     SELECT json_build_object(
       'created_at', c.created_at,
       'two_factor', c.two_factor_enrolled,
       'sign_in', (SELECT json_build_object('at', occurred_at, 'ip', ip, 'country', country,
                                            'fingerprint', fingerprint, 'first_seen_at', first_seen_at)
                     FROM last_sign_in),
       'fingerprint_sign_ins', (SELECT json_agg(json_build_object('customer_id', s.customer_id, 'at', s.at))
                                  FROM (SELECT l.customer_id, max(l.occurred_at) AS at
                                          FROM device d JOIN login_event l ON l.device_id = d.id
                                         WHERE d.fingerprint = COALESCE($4::text, (SELECT fingerprint FROM last_sign_in))
                                           AND l.success AND l.occurred_at > $3::timestamptz AND l.occurred_at <= $2::timestamptz
                                         GROUP BY l.customer_id LIMIT ${MAX_COUNTED_ACCOUNTS}) s),
       'ip_sign_ins', (SELECT json_agg(json_build_object('customer_id', s.customer_id, 'at', s.at))
                         FROM (SELECT l.customer_id, max(l.occurred_at) AS at
                                 FROM login_event l
                                WHERE l.ip = COALESCE($5::text, (SELECT ip FROM last_sign_in))
                                  AND l.success AND l.occurred_at > $3::timestamptz AND l.occurred_at <= $2::timestamptz
                                GROUP BY l.customer_id LIMIT ${MAX_COUNTED_ACCOUNTS}) s),
       'contact_change_at', (SELECT max(changed_at) FROM contact_change
                              WHERE customer_id = $1::uuid AND changed_at <= $8::timestamptz),
       'contact_changes', CASE WHEN $6::boolean THEN
                            (SELECT json_agg(changed_at) FROM contact_change
                              WHERE customer_id = $1::uuid AND changed_at > $3::timestamptz
                                AND changed_at < $2::timestamptz) END,
       'reset_requests', CASE WHEN $6::boolean THEN
                           (SELECT json_agg(r.requested_at)
                              FROM (SELECT requested_at FROM reset_request
                                     WHERE customer_id = $1::uuid AND requested_at > $3::timestamptz
                                       AND requested_at < $2::timestamptz
                                     ORDER BY requested_at DESC LIMIT ${MAX_COUNTED_RESETS}) r) END,
       'ip_reset_requests', CASE WHEN $7::text IS NOT NULL THEN
                              (SELECT json_agg(json_build_object('customer_id', r.customer_id, 'at', r.requested_at))
                                 FROM (SELECT customer_id, requested_at FROM reset_request
                                        WHERE ip = $7::text AND requested_at > $3::timestamptz
                                          AND requested_at < $2::timestamptz
                                        ORDER BY requested_at DESC LIMIT ${MAX_COUNTED_RESETS}) r) END,
       'top_ups', (SELECT json_agg(json_build_object('at', occurred_at, 'amount', amount,
                                                     'funding_source_id', funding_source_id))
                     FROM ledger_transaction
                    WHERE customer_id = $1::uuid AND kind = 'TOP_UP' AND occurred_at > $3::timestamptz AND occurred_at < $2::timestamptz),
       'purchases', (SELECT json_agg(json_build_object('at', occurred_at, 'amount', total))
                       FROM purchase
                      WHERE customer_id = $1::uuid AND occurred_at > $3::timestamptz AND occurred_at < $2::timestamptz)
     )::text AS snapshot
     FROM customer c WHERE c.id = $1::uuid`,
    event.customerId,
    at.toISOString(),
    since.toISOString(),
    origin?.fingerprint ?? null,
    origin?.ip ?? null,
    accountKind,
    resetIp,
    // A contact change being decided reads the change before it (times are stored to the millisecond).
    new Date(at.getTime() - (kind === "CONTACT_CHANGE" ? 1 : 0)).toISOString(),
  );
  const raw = rows[0];
  if (!raw) throw new CustomerUnknownForRiskError("no such customer");
  const json = JSON.parse(raw.snapshot) as SnapshotJson;
  return {
    customerCreatedAt: new Date(json.created_at ?? at),
    twoFactorEnrolled: json.two_factor === true,
    lastSignIn: json.sign_in && {
      at: new Date(json.sign_in.at),
      ip: json.sign_in.ip,
      country: json.sign_in.country,
      fingerprint: json.sign_in.fingerprint,
      deviceFirstSeenAt: json.sign_in.first_seen_at ? new Date(json.sign_in.first_seen_at) : null,
    },
    fingerprintSignIns: signIns(json.fingerprint_sign_ins),
    ipSignIns: signIns(json.ip_sign_ins),
    contactChangesAt: contactChanges(json),
    resetRequestsAt: (json.reset_requests ?? []).map((at) => new Date(at)),
    ipResetRequests: (json.ip_reset_requests ?? []).map((r) => ({ customerId: r.customer_id, at: new Date(r.at) })),
    topUps: (json.top_ups ?? []).map((r) => ({
      at: new Date(r.at),
      amount: r.amount,
      fundingSourceId: r.funding_source_id,
    })),
    purchases: (json.purchases ?? []).map((r) => ({ at: new Date(r.at), amount: r.amount })),
  };
}
