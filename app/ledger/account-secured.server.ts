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
 * Reads the account's status and last forced reset. With `lock`, the customer row is held FOR SHARE, so an unfreeze
 * committed meanwhile waits for this transaction instead of slipping between the check and the credit.
 */
export async function readAccountSecurity(
  tx: DbTx,
  customerId: string,
  options: { lock?: boolean } = {},
): Promise<AccountSecurity | null> {
  if (!isUuid(customerId)) return null;
  const rows = options.lock
    ? await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM customer WHERE id = ${customerId}::uuid FOR SHARE`
    : await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM customer WHERE id = ${customerId}::uuid`;
  const status = rows[0]?.status;
  if (!status) return null;
  const reset = await tx.passwordResetToken.findFirst({
    where: { customerId, origin: "STAFF_FORCED" },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return { status, lastForcedResetAt: reset?.createdAt ?? null };
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
