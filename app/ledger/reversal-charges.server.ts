// Charges (top-ups and purchases) as a reversal sees them: what was moved, what has been reversed already, what is
// left, and where a reversal's money would go. Always scoped to the customer in the query itself.
import type { DbTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { FundingKind } from "~/generated/prisma/enums";
import { fundingLabel, type ChargeDescription } from "~/ledger/reversal-destination";
import { ReversalError } from "~/ledger/reversal-errors";
import { isUuid } from "~/lib/uuid";

export interface Charge extends ChargeDescription {
  id: string;
  customerId: string;
  amount: number;
  reversed: number;
  remaining: number;
  occurredAt: Date;
  fundingSourceId: string | null;
}

interface ChargeRow {
  id: string;
  kind: string;
  customer_id: string;
  amount: number;
  reversed: number;
  occurred_at: Date;
  channel: FundingKind | null;
  funding_source_id: string | null;
  brand: string | null;
  last4: string | null;
  store_code: string | null;
  store_name: string | null;
}

// A charge with its reversed total, card and store; callers add the WHERE that scopes it to the customer.
const CHARGE_ROWS = Prisma.sql`
    SELECT t.id, t.kind::text AS kind, t.customer_id, t.amount, t.occurred_at, t.channel, t.funding_source_id,
           COALESCE((SELECT SUM(r.amount) FROM ledger_transaction r WHERE r.reverses_id = t.id), 0)::int AS reversed,
           f.brand, f.last4, s.code AS store_code, s.name AS store_name
      FROM ledger_transaction t
      LEFT JOIN funding_source f ON f.id = t.funding_source_id
      LEFT JOIN purchase p ON p.transaction_id = t.id
      LEFT JOIN store s ON s.id = p.store_id`;

function toCharge(row: ChargeRow): Charge {
  return {
    id: row.id,
    kind: row.kind as Charge["kind"],
    customerId: row.customer_id,
    amount: row.amount,
    reversed: row.reversed,
    remaining: row.amount - row.reversed,
    occurredAt: new Date(row.occurred_at),
    channel: row.channel,
    fundingSourceId: row.funding_source_id,
    fundingLabel: fundingLabel(row.brand, row.last4),
    storeCode: row.store_code,
    storeName: row.store_name,
  };
}

export function chargeNotFound(): ReversalError {
  return new ReversalError("CHARGE_NOT_FOUND", "This customer has no such charge.", 404);
}

/**
 * One charge of one customer. With `lock`, the original row is locked FOR UPDATE first (the same lock the database's
 * reversal trigger takes), and the reversed total is read only after the lock is held, so it cannot go stale before
 * this transaction ends.
 */
export async function findCharge(
  tx: DbTx,
  input: { customerId: string; transactionId: string },
  options: { lock?: boolean } = {},
): Promise<Charge> {
  if (!isUuid(input.customerId) || !isUuid(input.transactionId)) throw chargeNotFound();
  if (options.lock) {
    await tx.$queryRaw`
      SELECT id FROM ledger_transaction WHERE id = ${input.transactionId}::uuid AND customer_id = ${input.customerId}::uuid
      FOR UPDATE`;
  }
  const rows = await tx.$queryRaw<ChargeRow[]>`
    ${CHARGE_ROWS}
     WHERE t.id = ${input.transactionId}::uuid AND t.customer_id = ${input.customerId}::uuid`;
  const row = rows[0];
  if (!row) throw chargeNotFound();
  if (row.kind === "REVERSAL") {
    throw new ReversalError("NOT_REVERSIBLE", "This is itself a reversal: a reversal cannot be reversed.", 422);
  }
  return toCharge(row);
}

/** The customer's charges, newest first, with what is left to reverse. */
export async function listCharges(tx: DbTx, customerId: string, limit = 200): Promise<Charge[]> {
  if (!isUuid(customerId)) return [];
  const rows = await tx.$queryRaw<ChargeRow[]>`
    ${CHARGE_ROWS}
     WHERE t.customer_id = ${customerId}::uuid AND t.kind IN ('TOP_UP', 'PURCHASE')
     ORDER BY t.occurred_at DESC, t.id
     LIMIT ${limit}`;
  return rows.map(toCharge);
}
