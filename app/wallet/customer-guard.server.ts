// Money moves only for an active customer. The status is read with FOR SHARE inside the money movement's own
// transaction, so a freeze committed by the console is obeyed by the very next top-up or purchase.
import type { DbTx } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

export async function assertCustomerCanTransact(tx: DbTx, customerId: string): Promise<void> {
  const notFound = new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
  if (!isUuid(customerId)) throw notFound;
  const rows = await tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM customer WHERE id = ${customerId}::uuid FOR SHARE`;
  const status = rows[0]?.status;
  if (!status) throw notFound;
  if (status !== "ACTIVE") {
    throw new DomainError(
      "ACCOUNT_NOT_ACTIVE",
      "This wallet cannot move money right now. Please contact customer support.",
      423,
    );
  }
}

/** Idempotency keys are chosen by the client: bound them so that they cannot smuggle anything into storage or logs. */
export function validateIdempotencyKey(key: string | undefined | null): string | null {
  if (key === undefined || key === null) return null;
  if (!/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    throw new DomainError(
      "INVALID_IDEMPOTENCY_KEY",
      "The idempotency key must be 8–100 letters, digits or . _ : - characters.",
      400,
    );
  }
  return key;
}
