// The reconciliation report of a bulk reversal: for every account in the scope, what was stolen (the top-ups in the
// window: money pulled from the victim's card), what has gone back to the card (every reversal of those top-ups, by
// this job or anyone else), the purchases and their reversals, what is still outstanding, and which items failed.
// Computed from the ledger itself, so it is true whenever it is read; stored on the job when the job completes.
import type { DbTx } from "~/db.server";
import { resolveScope } from "~/ledger/bulk-reversal-scope.server";
import { chargesInWindow, type BulkReversalParams } from "~/ledger/bulk-reversal-plan.server";
import { textArray } from "~/ledger/sql-array";

export interface ReconciliationAccount {
  customerId: string;
  displayId: string;
  /** Top-ups in the window: what the attackers pulled from the card. */
  stolenYen: number;
  /** Reversals of those top-ups: what has gone back to the card. */
  returnedYen: number;
  outstandingYen: number;
  purchaseYen: number;
  purchaseReversedYen: number;
  /** Reversed by this job (purchases and top-ups). */
  reversedByJobYen: number;
  walletBalance: number;
  failedItems: number;
  failureCodes: string[];
}

export interface Reconciliation {
  generatedAt: string;
  accounts: ReconciliationAccount[];
  totals: Omit<ReconciliationAccount, "customerId" | "displayId" | "failureCodes"> & {
    accounts: number;
    accountsSettled: number;
    accountsOutstanding: number;
  };
}

export async function buildReconciliation(
  tx: DbTx,
  input: { jobId: string; params: BulkReversalParams; at: Date },
): Promise<Reconciliation> {
  const scope = await resolveScope(tx, input.params.scope);
  // The customer's own charges after staff secured the account are not stolen money: outside the reconciliation.
  const charges = (
    await chargesInWindow(tx, scope.customerIds, new Date(input.params.since), new Date(input.params.until))
  ).filter((charge) => !charge.after_secured);
  const byJob = await tx.$queryRaw<{ customer_id: string; yen: bigint; failed: bigint; codes: string[] | null }[]>`
    SELECT customer_id, COALESCE(SUM(result_amount) FILTER (WHERE status = 'SUCCEEDED'), 0)::bigint AS yen,
           COUNT(*) FILTER (WHERE status = 'FAILED')::bigint AS failed,
           array_agg(DISTINCT error_code) FILTER (WHERE status = 'FAILED') AS codes
      FROM bulk_job_item WHERE job_id = ${input.jobId}::uuid GROUP BY customer_id`;
  const jobByCustomer = new Map(byJob.map((r) => [r.customer_id, r]));
  const customerIds = [...new Set([...charges.map((c) => c.customer_id), ...byJob.map((r) => r.customer_id)])];
  const people = customerIds.length
    ? await tx.$queryRawUnsafe<{ id: string; display_id: string; balance: bigint | null }[]>(
        `SELECT c.id, c.display_id, a.balance FROM customer c LEFT JOIN ledger_account a ON a.customer_id = c.id
          WHERE c.id = ANY($1::text::uuid[])`,
        textArray(customerIds),
      )
    : [];
  const accounts = new Map<string, ReconciliationAccount>();
  for (const person of people) {
    const job = jobByCustomer.get(person.id);
    accounts.set(person.id, {
      customerId: person.id,
      displayId: person.display_id,
      stolenYen: 0,
      returnedYen: 0,
      outstandingYen: 0,
      purchaseYen: 0,
      purchaseReversedYen: 0,
      reversedByJobYen: Number(job?.yen ?? 0),
      walletBalance: Number(person.balance ?? 0),
      failedItems: Number(job?.failed ?? 0),
      failureCodes: (job?.codes ?? []).filter((c): c is string => Boolean(c)),
    });
  }
  for (const charge of charges) {
    const account = accounts.get(charge.customer_id);
    if (!account) continue;
    if (charge.kind === "TOP_UP") {
      account.stolenYen += charge.amount;
      account.returnedYen += charge.reversed;
    } else {
      account.purchaseYen += charge.amount;
      account.purchaseReversedYen += charge.reversed;
    }
  }
  const list = [...accounts.values()].sort((a, b) => a.displayId.localeCompare(b.displayId));
  for (const account of list) account.outstandingYen = account.stolenYen - account.returnedYen;
  const sum = (pick: (a: ReconciliationAccount) => number) => list.reduce((n, a) => n + pick(a), 0);
  return {
    generatedAt: input.at.toISOString(),
    accounts: list,
    totals: {
      accounts: list.length,
      accountsSettled: list.filter((a) => a.outstandingYen === 0).length,
      accountsOutstanding: list.filter((a) => a.outstandingYen !== 0).length,
      stolenYen: sum((a) => a.stolenYen),
      returnedYen: sum((a) => a.returnedYen),
      outstandingYen: sum((a) => a.outstandingYen),
      purchaseYen: sum((a) => a.purchaseYen),
      purchaseReversedYen: sum((a) => a.purchaseReversedYen),
      reversedByJobYen: sum((a) => a.reversedByJobYen),
      walletBalance: sum((a) => a.walletBalance),
      failedItems: sum((a) => a.failedItems),
    },
  };
}
