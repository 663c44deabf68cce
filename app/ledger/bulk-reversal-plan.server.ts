// The dry run of a bulk reversal: for the accounts in scope, every top-up and purchase in the window that still has
// something left to reverse, what each account's wallet would look like afterwards, and the yen totals. Read-only.
// The plan's digest (parameters + every charge and its remainder) is what the lead confirms: starting the job
// recomputes the plan and refuses if the digest changed, so the job reverses exactly what the lead saw.
//
// A purchase of an account nobody has secured since it (ADR 089) stays in the plan but will be skipped by the job:
// the dry run counts those apart (how many, their yen, which accounts), the wallets after and the totals the lead
// confirms leave them out, and the digest names them, so a confirmation counts what the job will actually reverse.
//
// Order: all purchases first (phase 0: the money comes back to the wallets), then the top-ups (phase 1: from the
// wallets back to the cards). Reversing a top-up needs the wallet to hold the money, and attackers spent it.
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "~/audit/canonical";
import type { DbTx } from "~/db.server";
import type { FundingKind } from "~/generated/prisma/enums";
import { isSecuredFor, readAccountSecurities } from "~/ledger/account-secured.server";
import { textArray } from "~/ledger/sql-array";
import { BulkScopeSchema, resolveScope, type ResolvedScope } from "~/ledger/bulk-reversal-scope.server";
import { ReversalError } from "~/ledger/reversal-errors";
import { MAX_NOTE_LENGTH } from "~/ledger/reversal-request-input.server";

export const PHASE_PURCHASES = 0;
export const PHASE_TOP_UPS = 1;

/**
 * A bulk reversal's parameters as they travel outside the domain (a form's hidden field, a job's stored params): the
 * whole object, nothing more. Whoever reads them back from text parses them with this one schema.
 */
export const BulkReversalParamsSchema = z
  .object({
    scope: BulkScopeSchema,
    /** ISO instants: charges with since <= occurred_at <= until. */
    since: z.string().datetime(),
    until: z.string().datetime(),
    reasonCode: z.string().min(1).max(40),
    note: z.string().max(MAX_NOTE_LENGTH).nullable(),
  })
  .strict();
export type BulkReversalParams = z.infer<typeof BulkReversalParamsSchema>;

export interface PlannedCharge {
  transactionId: string;
  customerId: string;
  kind: "TOP_UP" | "PURCHASE";
  amount: number;
  reversed: number;
  remaining: number;
  occurredAt: string;
  channel: FundingKind | null;
  storeCode: string | null;
}

export interface PlannedAccount {
  customerId: string;
  displayId: string;
  name: string;
  walletBalance: number;
  purchases: number;
  purchaseYen: number;
  topUps: number;
  topUpYen: number;
  /** Purchases the job will skip until the account is secured (frozen, or a forced reset sent after them). */
  unsecuredPurchases: number;
  unsecuredYen: number;
  /** Wallet after every reversal the job will make; below zero means some top-ups cannot go back to the card. */
  projectedWallet: number;
}

export interface PlanTotals {
  accounts: number;
  charges: number;
  purchases: number;
  purchaseYen: number;
  topUps: number;
  topUpYen: number;
  /** Everything the job would move: purchases back to wallets plus top-ups back to cards. */
  yen: number;
  /** Accounts whose wallet would not cover their top-up refunds, and by how much in all. */
  accountsShort: number;
  shortfallYen: number;
  /** Charges in the window made after the account was secured (listed, not reversed), and their yen. */
  excludedCharges: number;
  excludedYen: number;
  /** Purchases in the plan that the job will skip because their account is not secured, their yen and accounts. */
  unsecuredCharges: number;
  unsecuredYen: number;
  unsecuredAccounts: number;
  /** What the job will actually reverse if nothing changes: the plan without the unsecured purchases. */
  toReverseCharges: number;
  toReverseYen: number;
}

export interface BulkReversalPlan {
  params: BulkReversalParams;
  scope: Omit<ResolvedScope, "customerIds"> & { accounts: number };
  accounts: PlannedAccount[];
  charges: PlannedCharge[];
  totals: PlanTotals;
  digest: string;
  /** Charges in the window made after the account was secured: the customer's own, listed and never reversed. */
  excluded: PlannedCharge[];
  /** The IDs of the planned purchases the job will skip as unsecured (a subset of `charges`). */
  unsecured: string[];
}

export function validateWindow(since: Date, until: Date): void {
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) {
    throw new ReversalError("INVALID_WINDOW", "Give the window of charges as two valid dates.", 422);
  }
  if (since > until) throw new ReversalError("INVALID_WINDOW", "The window starts after it ends.", 422);
}

interface ChargeRow {
  id: string;
  kind: "TOP_UP" | "PURCHASE";
  customer_id: string;
  amount: number;
  reversed: number;
  occurred_at: Date;
  channel: FundingKind | null;
  store_code: string | null;
  /**
   * Made after staff secured the account (the first forced password reset since the window opened: every session was
   * revoked then, so the attacker was out). Such a charge is the customer's own: never reversed in bulk, only listed.
   */
  after_secured: boolean;
}

/** Every top-up and purchase of these accounts in the window, with what has been reversed of each. */
export async function chargesInWindow(tx: DbTx, customerIds: string[], since: Date, until: Date): Promise<ChargeRow[]> {
  if (customerIds.length === 0) return [];
  return tx.$queryRawUnsafe<ChargeRow[]>(
    `SELECT t.id, t.kind::text AS kind, t.customer_id, t.amount, t.occurred_at, t.channel::text AS channel,
            COALESCE((SELECT SUM(r.amount) FROM ledger_transaction r WHERE r.reverses_id = t.id), 0)::int AS reversed,
            s.code AS store_code,
            (secured.at IS NOT NULL AND t.occurred_at > secured.at) AS after_secured
       FROM ledger_transaction t
       LEFT JOIN purchase p ON p.transaction_id = t.id
       LEFT JOIN store s ON s.id = p.store_id
       LEFT JOIN LATERAL (SELECT min(r.created_at) AS at FROM password_reset_token r
                           WHERE r.customer_id = t.customer_id AND r.origin = 'STAFF_FORCED' AND r.created_at >= $2) secured
              ON true
      WHERE t.customer_id = ANY($1::text::uuid[]) AND t.kind IN ('TOP_UP', 'PURCHASE')
        AND t.occurred_at >= $2 AND t.occurred_at <= $3
      ORDER BY t.customer_id, t.occurred_at, t.id`,
    textArray(customerIds),
    since,
    until,
  );
}

/**
 * What the lead confirms: the parameters, every charge with its remainder, and which purchases will be skipped as
 * unsecured. An account secured (or unfrozen) after the dry run changes the digest, so the confirmation never counts
 * a different sum from the one the job will reverse.
 */
export function planDigest(params: BulkReversalParams, charges: PlannedCharge[], unsecured: string[] = []): string {
  const lines = charges.map((c) => `${c.transactionId}:${c.remaining}`).sort();
  return createHash("sha256")
    .update(canonicalJson({ v: 2, params, charges: lines, unsecured: [...unsecured].sort() }))
    .digest("hex");
}

export async function planBulkReversal(tx: DbTx, params: BulkReversalParams): Promise<BulkReversalPlan> {
  const since = new Date(params.since);
  const until = new Date(params.until);
  validateWindow(since, until);
  const resolved = await resolveScope(tx, params.scope);
  const rows = await chargesInWindow(tx, resolved.customerIds, since, until);
  const toCharge = (row: ChargeRow): PlannedCharge => ({
    transactionId: row.id,
    customerId: row.customer_id,
    kind: row.kind,
    amount: row.amount,
    reversed: row.reversed,
    remaining: row.amount - row.reversed,
    occurredAt: new Date(row.occurred_at).toISOString(),
    channel: row.channel,
    storeCode: row.store_code,
  });
  const excluded = rows
    .filter((row) => row.after_secured)
    .map(toCharge)
    .filter((charge) => charge.remaining > 0);
  const charges: PlannedCharge[] = rows
    .filter((row) => !row.after_secured)
    .map(toCharge)
    .filter((charge) => charge.remaining > 0);

  const customerIds = [...new Set(charges.map((c) => c.customerId))];
  // The same reading the job's batch makes (without its lock: the dry run moves nothing).
  const security = await readAccountSecurities(tx, customerIds);
  const unsecured = new Set(
    charges
      .filter((c) => {
        if (c.kind !== "PURCHASE") return false;
        const account = security.get(c.customerId);
        return !account || !isSecuredFor(account, new Date(c.occurredAt));
      })
      .map((c) => c.transactionId),
  );
  const people = customerIds.length
    ? await tx.$queryRawUnsafe<{ id: string; display_id: string; name: string; balance: bigint | null }[]>(
        `SELECT c.id, c.display_id, c.name, a.balance
           FROM customer c LEFT JOIN ledger_account a ON a.customer_id = c.id
          WHERE c.id = ANY($1::text::uuid[])`,
        textArray(customerIds),
      )
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const accounts = new Map<string, PlannedAccount>();
  for (const charge of charges) {
    let account = accounts.get(charge.customerId);
    if (!account) {
      const person = byId.get(charge.customerId);
      const balance = Number(person?.balance ?? 0);
      account = {
        customerId: charge.customerId,
        displayId: person?.display_id ?? "?",
        name: person?.name ?? "?",
        walletBalance: balance,
        purchases: 0,
        purchaseYen: 0,
        topUps: 0,
        topUpYen: 0,
        unsecuredPurchases: 0,
        unsecuredYen: 0,
        projectedWallet: balance,
      };
      accounts.set(charge.customerId, account);
    }
    if (charge.kind === "PURCHASE") {
      account.purchases += 1;
      account.purchaseYen += charge.remaining;
      if (unsecured.has(charge.transactionId)) {
        // Skipped by the job: the money stays with the store, so the wallet does not get it back.
        account.unsecuredPurchases += 1;
        account.unsecuredYen += charge.remaining;
      } else {
        account.projectedWallet += charge.remaining;
      }
    } else {
      account.topUps += 1;
      account.topUpYen += charge.remaining;
      account.projectedWallet -= charge.remaining;
    }
  }
  const list = [...accounts.values()].sort((a, b) => a.displayId.localeCompare(b.displayId));
  const short = list.filter((a) => a.projectedWallet < 0);
  const totals: PlanTotals = {
    accounts: list.length,
    charges: charges.length,
    purchases: list.reduce((n, a) => n + a.purchases, 0),
    purchaseYen: list.reduce((n, a) => n + a.purchaseYen, 0),
    topUps: list.reduce((n, a) => n + a.topUps, 0),
    topUpYen: list.reduce((n, a) => n + a.topUpYen, 0),
    yen: 0,
    accountsShort: short.length,
    shortfallYen: short.reduce((n, a) => n - a.projectedWallet, 0),
    excludedCharges: excluded.length,
    excludedYen: excluded.reduce((n, c) => n + c.remaining, 0),
    unsecuredCharges: unsecured.size,
    unsecuredYen: list.reduce((n, a) => n + a.unsecuredYen, 0),
    unsecuredAccounts: list.filter((a) => a.unsecuredPurchases > 0).length,
    toReverseCharges: charges.length - unsecured.size,
    toReverseYen: 0,
  };
  totals.yen = totals.purchaseYen + totals.topUpYen;
  totals.toReverseYen = totals.yen - totals.unsecuredYen;
  return {
    params,
    scope: {
      incidentId: resolved.incidentId,
      incidentOpenedAt: resolved.incidentOpenedAt,
      label: resolved.label,
      labelKey: resolved.labelKey,
      accounts: resolved.customerIds.length,
    },
    accounts: list,
    charges,
    totals,
    digest: planDigest(params, charges, [...unsecured]),
    excluded,
    unsecured: [...unsecured],
  };
}

/** The job's items: purchases first, then top-ups; within a phase, account by account in time order. */
export function planItems(plan: BulkReversalPlan) {
  const ordered = [...plan.charges].sort(
    (a, b) =>
      (a.kind === "PURCHASE" ? 0 : 1) - (b.kind === "PURCHASE" ? 0 : 1) ||
      a.customerId.localeCompare(b.customerId) ||
      a.occurredAt.localeCompare(b.occurredAt) ||
      a.transactionId.localeCompare(b.transactionId),
  );
  return ordered.map((charge) => ({
    subjectId: charge.transactionId,
    customerId: charge.customerId,
    amount: charge.remaining,
    phase: charge.kind === "PURCHASE" ? PHASE_PURCHASES : PHASE_TOP_UPS,
  }));
}
