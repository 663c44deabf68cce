// A purchase reversal credits the customer's wallet. While whoever took the account over can still sign in and spend,
// that credit is theirs to spend again, so it waits until staff have secured the account:
//   - the account is not ACTIVE (frozen, marked compromised, closed): the wallet moves no money at all
//     (app/wallet/customer-guard.server.ts), or
//   - a forced password reset was sent after the charge (a STAFF_FORCED reset link): every session and device was
//     ended then and only the verified contact on file can open the account again — the same mark the bulk plan
//     uses to tell the customer's own later charges apart.
// A top-up reversal takes money out of the wallet, back to the card: it needs neither.
import type { DbTx } from "~/db.server";
import { ReversalError } from "~/ledger/reversal-errors";
import { textArray } from "~/ledger/sql-array";
import { isUuid } from "~/lib/uuid";

export const ACCOUNT_NOT_SECURED = "ACCOUNT_NOT_SECURED";
export const ACCOUNT_NOT_SECURED_MESSAGE =
  "This account is active and has not been secured since this charge, so a refund to its wallet could be spent " +
  "again by whoever holds it. Freeze the account or force a password reset first, then reverse the purchase.";

export interface AccountSecurity {
  status: string;
  /** The newest forced reset whose link was sent, if any. */
  lastForcedResetAt: Date | null;
}

/** Whether a wallet credit for a charge made at `chargedAt` is safe now. */
export function isSecuredFor(security: AccountSecurity, chargedAt: Date): boolean {
  if (security.status !== "ACTIVE") return true;
  return security.lastForcedResetAt !== null && security.lastForcedResetAt > chargedAt;
}

/**
 * Reads each account's status and newest forced reset whose link was sent, in one statement: a link the outbox refused
 * is voided the moment it is made (superseded at its creation), reached nobody, and does not count (ADR 122). With
 * `lock`, the customer rows are held FOR SHARE (in id order, as the reversals lock accounts), so an unfreeze committed
 * meanwhile waits for this transaction instead of slipping between the check and the credit.
 */
export async function readAccountSecurities(
  tx: DbTx,
  customerIds: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, AccountSecurity>> {
  const ids = [...new Set(customerIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ id: string; status: string; reset_at: Date | null }[]>(
    `SELECT c.id::text AS id, c.status::text AS status,
            (SELECT max(r.created_at) FROM password_reset_token r
              WHERE r.customer_id = c.id AND r.origin = 'STAFF_FORCED'
                AND r.superseded_at IS DISTINCT FROM r.created_at) AS reset_at
       FROM customer c WHERE c.id = ANY($1::text::uuid[]) ORDER BY c.id${options.lock ? " FOR SHARE OF c" : ""}`,
    textArray(ids),
  );
  return new Map(
    rows.map((r) => [r.id, { status: r.status, lastForcedResetAt: r.reset_at ? new Date(r.reset_at) : null }]),
  );
}

/** readAccountSecurities for one account; null when there is no such account. */
export async function readAccountSecurity(
  tx: DbTx,
  customerId: string,
  options: { lock?: boolean } = {},
): Promise<AccountSecurity | null> {
  return (await readAccountSecurities(tx, [customerId], options)).get(customerId) ?? null;
}

export function accountNotSecured(): ReversalError {
  return new ReversalError(ACCOUNT_NOT_SECURED, ACCOUNT_NOT_SECURED_MESSAGE, 409);
}

/** Refuses a purchase reversal (a wallet credit) on an account nobody has secured since the charge. */
export async function assertSecuredForWalletCredit(
  tx: DbTx,
  charge: { kind: string; customerId: string; occurredAt: Date },
): Promise<void> {
  if (charge.kind !== "PURCHASE") return;
  const security = await readAccountSecurity(tx, charge.customerId, { lock: true });
  if (!security || !isSecuredFor(security, charge.occurredAt)) throw accountNotSecured();
}
