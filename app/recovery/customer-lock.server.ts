// Recovery actions lock the customer row first (FOR UPDATE), inside their transaction. Customer sign-in and reset-link
// redemption take the same row FOR SHARE / FOR UPDATE, so a sign-in racing a forced reset either commits before it
// (and its new session is revoked by it) or waits and then sees the must-change flag.
import type { DbTx } from "~/db.server";
import { customerNotFound } from "~/recovery/errors";
import { isUuid } from "~/lib/uuid";

/** What a recovery action decides on, and so what the recovery page shows of the customer (with the name). */
export const RECOVERY_CUSTOMER_FIELDS = {
  id: true,
  displayId: true,
  status: true,
  email: true,
  emailVerified: true,
  phone: true,
  phoneVerified: true,
  mustChangePassword: true,
  mustEnrollTwoFactor: true,
  twoFactorEnrolled: true,
} as const;

export async function lockCustomer(tx: DbTx, customerId: string) {
  if (!isUuid(customerId)) throw customerNotFound();
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM customer WHERE id = ${customerId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw customerNotFound();
  return tx.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: RECOVERY_CUSTOMER_FIELDS,
  });
}

export type LockedCustomer = Awaited<ReturnType<typeof lockCustomer>>;
