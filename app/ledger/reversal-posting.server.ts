// Writing one reversal to the ledger: a new REVERSAL transaction linked to the original (never an edit), and for a
// top-up the refund instruction for the processor, in the caller's transaction.
//   purchase reversal: merchant:<store> −x, wallet +x   (the victim gets the money back in the wallet)
//   top-up reversal:   wallet −x, refund:<channel> +x   (the money goes back where it came from: refund instruction)
// The caller has locked the original (findCharge with lock). The database re-checks the remainder and the wallet.
import type { DbTx } from "~/db.server";
import {
  merchantAccountCode,
  postLedgerTransaction,
  systemAccountId,
  walletAccountId,
} from "~/ledger/post-transaction.server";
import { yen } from "~/ledger/money";
import type { Charge } from "~/ledger/reversal-charges.server";
import { ReversalError } from "~/ledger/reversal-errors";

export interface PostedReversal {
  transactionId: string;
  refundInstructionId: string | null;
  walletBalanceAfter: number;
}

export function assertWithinRemaining(charge: Charge, amount: number): void {
  if (charge.remaining <= 0) {
    throw new ReversalError(
      "ALREADY_FULLY_REVERSED",
      `This charge of ${yen(charge.amount)} is already fully reversed.`,
      409,
      { amount: yen(charge.amount) },
    );
  }
  if (amount > charge.remaining) {
    throw new ReversalError(
      "EXCEEDS_REMAINING",
      `Only ${yen(charge.remaining)} of this ${yen(charge.amount)} charge is left to reverse ` +
        `(${yen(charge.reversed)} already reversed); ${yen(amount)} is too much.`,
      422,
      {
        remaining: yen(charge.remaining),
        charge: yen(charge.amount),
        reversed: yen(charge.reversed),
        amount: yen(amount),
      },
    );
  }
}

export function walletWouldGoNegative(balance: number, amount: number): ReversalError {
  return new ReversalError(
    "WALLET_WOULD_GO_NEGATIVE",
    `The wallet holds ${yen(balance)}, so ${yen(amount)} of this top-up cannot be sent back to the card without taking ` +
      `the wallet below zero. Reverse the purchases paid with this money first (that returns it to the wallet), or ` +
      `reverse at most ${yen(balance)} of the top-up.`,
    409,
    { balance: yen(balance), amount: yen(amount) },
  );
}

/** Locks the accounts a reversal moves, in id order (the order every bulk batch uses too), and reads their balances. */
async function lockAccounts(tx: DbTx, ids: string[]): Promise<Map<string, number>> {
  const sorted = [...new Set(ids)].sort();
  const rows = await tx.$queryRaw<{ id: string; balance: bigint }[]>`
    SELECT id, balance FROM ledger_account WHERE id = ANY(${sorted}::uuid[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((r) => [r.id, Number(r.balance)]));
}

export async function postReversal(
  tx: DbTx,
  input: { charge: Charge; amount: number; reasonCode: string; idempotencyKey: string; occurredAt: Date },
): Promise<PostedReversal> {
  const { charge, amount } = input;
  assertWithinRemaining(charge, amount);
  const walletId = await walletAccountId(tx, charge.customerId);
  let counterpartId: string;
  if (charge.kind === "PURCHASE") {
    if (!charge.storeCode) throw new Error(`purchase ${charge.id} has no store`);
    counterpartId = await systemAccountId(tx, merchantAccountCode(charge.storeCode));
  } else {
    if (!charge.channel) throw new Error(`top-up ${charge.id} has no channel`);
    counterpartId = await systemAccountId(tx, `refund:${charge.channel}`);
  }
  const balances = await lockAccounts(tx, [walletId, counterpartId]);
  const walletBalance = balances.get(walletId) ?? 0;
  if (charge.kind === "TOP_UP" && walletBalance < amount) throw walletWouldGoNegative(walletBalance, amount);

  const legs =
    charge.kind === "PURCHASE"
      ? [
          { accountId: counterpartId, amount: -amount },
          { accountId: walletId, amount },
        ]
      : [
          { accountId: walletId, amount: -amount },
          { accountId: counterpartId, amount },
        ];
  const transaction = await postLedgerTransaction(tx, {
    kind: "REVERSAL",
    customerId: charge.customerId,
    amount,
    occurredAt: input.occurredAt,
    reversesId: charge.id,
    reasonCode: input.reasonCode,
    idempotencyKey: input.idempotencyKey,
    // A top-up's reversal goes back through the channel and funding source the money came from.
    channel: charge.kind === "TOP_UP" ? charge.channel : null,
    fundingSourceId: charge.kind === "TOP_UP" ? charge.fundingSourceId : null,
    legs,
  });
  let refundInstructionId: string | null = null;
  if (charge.kind === "TOP_UP" && charge.channel) {
    const instruction = await tx.refundInstruction.create({
      data: {
        reversalTransactionId: transaction.id,
        customerId: charge.customerId,
        fundingSourceId: charge.fundingSourceId,
        channel: charge.channel,
        amount,
        createdAt: input.occurredAt,
        updatedAt: input.occurredAt,
      },
      select: { id: true },
    });
    refundInstructionId = instruction.id;
  }
  return {
    transactionId: transaction.id,
    refundInstructionId,
    walletBalanceAfter: charge.kind === "PURCHASE" ? walletBalance + amount : walletBalance - amount,
  };
}
