// A customer pays at a store from their wallet balance. No kill switch covers purchases (the reference switches stop
// money coming in, and customers' own balances stay spendable); the wallet can never go below zero, which the
// database enforces as well (wallet_never_negative). The active purchase rules decide inside the purchase's own
// transaction before the money moves (app/risk/live.server.ts): a step-up asks for the customer's authenticator code,
// a hold or a block refuses the payment; if the rules or the features cannot be read the purchase is refused too.
import type { DbTx } from "~/db.server";
import {
  assertYen,
  merchantAccountCode,
  postLedgerTransaction,
  walletAccountId,
} from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";
import { PurchaseRiskRulesUnavailableRefusal } from "~/risk/errors";
import { applyVerdictToPurchase, assessEvent, recordAllowedEvent } from "~/risk/live.server";
import { assertCustomerCanTransact, validateIdempotencyKey } from "~/wallet/customer-guard.server";
import { OutcomeUnknownRefusal } from "~/wallet/errors";
import {
  runMoneyMovement,
  scopedIdempotencyKey,
  walletBalance,
  type WalletOptions,
} from "~/wallet/transaction-runner.server";

export const MAX_PURCHASE_YEN = 500_000;
const MAX_ITEMS = 50;
const MAX_QUANTITY = 99;

export interface PurchaseItemInput {
  categoryCode: string;
  description: string;
  quantity: number;
  /** Integer yen per unit. */
  unitPrice: number;
}

export interface PurchaseInput {
  customerId: string;
  storeCode: string;
  items: PurchaseItemInput[];
  idempotencyKey?: string | null;
  /** The customer's authenticator code, when a risk rule asked this payment to be confirmed (step-up). */
  secondFactorCode?: string | null;
}

export interface PurchaseResult {
  purchaseId: string;
  transactionId: string;
  customerId: string;
  storeCode: string;
  total: number;
  balance: number;
  occurredAt: Date;
  replayed: boolean;
}

function validatePurchase(input: PurchaseInput): { total: number; storedKey: string | null } {
  if (!isUuid(input.customerId)) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
  if (!Array.isArray(input.items) || input.items.length === 0 || input.items.length > MAX_ITEMS) {
    throw new DomainError("INVALID_ITEMS", `A purchase has between 1 and ${MAX_ITEMS} items.`, 422);
  }
  let total = 0;
  for (const item of input.items) {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw new DomainError(
        "INVALID_ITEMS",
        `Each item's quantity must be a whole number from 1 to ${MAX_QUANTITY}.`,
        422,
      );
    }
    if (!Number.isSafeInteger(item.unitPrice) || item.unitPrice < 0) {
      throw new DomainError(
        "INVALID_ITEMS",
        "Each item's unit price must be a whole number of yen, zero or more.",
        422,
      );
    }
    if (typeof item.description !== "string" || item.description.trim().length === 0 || item.description.length > 200) {
      throw new DomainError("INVALID_ITEMS", "Each item needs a description of at most 200 characters.", 422);
    }
    total += item.quantity * item.unitPrice;
  }
  assertYen(total, "purchase total");
  if (total > MAX_PURCHASE_YEN) {
    throw new DomainError(
      "PURCHASE_LIMIT_EXCEEDED",
      `One purchase can be at most ¥${MAX_PURCHASE_YEN.toLocaleString("ja-JP")}.`,
      422,
    );
  }
  return {
    total,
    storedKey: scopedIdempotencyKey("purchase", input.customerId, validateIdempotencyKey(input.idempotencyKey)),
  };
}

async function findReplay(
  tx: DbTx,
  storedKey: string,
  input: PurchaseInput,
  total: number,
): Promise<PurchaseResult | null> {
  const existing = await tx.ledgerTransaction.findUnique({
    where: { idempotencyKey: storedKey },
    include: { purchase: { include: { store: { select: { code: true } } } } },
  });
  if (!existing) return null;
  if (existing.kind !== "PURCHASE" || existing.amount !== total || existing.purchase?.store.code !== input.storeCode) {
    throw new DomainError(
      "IDEMPOTENCY_KEY_REUSED",
      "This idempotency key was already used for a different purchase.",
      409,
    );
  }
  return {
    purchaseId: existing.purchase.id,
    transactionId: existing.id,
    customerId: existing.customerId,
    storeCode: input.storeCode,
    total,
    balance: await walletBalance(tx, input.customerId),
    occurredAt: existing.occurredAt,
    replayed: true,
  };
}

/** The store's payable account, created on first use (the replay seed creates them for its stores up front). */
async function merchantAccountId(tx: DbTx, storeCode: string): Promise<string> {
  const code = merchantAccountCode(storeCode);
  await tx.$executeRaw`
    INSERT INTO ledger_account (id, code, kind) VALUES (gen_random_uuid(), ${code}, 'MERCHANT_PAYABLE')
    ON CONFLICT (code) DO NOTHING`;
  const account = await tx.ledgerAccount.findUniqueOrThrow({ where: { code }, select: { id: true } });
  return account.id;
}

export async function purchase(input: PurchaseInput, options: WalletOptions = {}): Promise<PurchaseResult> {
  const { total, storedKey } = validatePurchase(input);
  // Once the purchase has been checked, any failure until the rules have decided means they could not: refuse.
  let checked = false;
  let riskAssessed = false;
  return runMoneyMovement(options, {
    storedKey,
    operation: "purchase",
    replay: (tx, key) => findReplay(tx, key, input, total),
    failClosed: () => (checked && !riskAssessed ? new PurchaseRiskRulesUnavailableRefusal() : null),
    outcomeUnknown: () => new OutcomeUnknownRefusal("purchase", storedKey !== null),
    async body(tx) {
      await assertCustomerCanTransact(tx, input.customerId);
      const store = await tx.store.findUnique({ where: { code: input.storeCode }, select: { id: true, code: true } });
      if (!store) throw new DomainError("STORE_NOT_FOUND", "There is no such store.", 404);
      const codes = [...new Set(input.items.map((item) => item.categoryCode))];
      const categories = await tx.productCategory.findMany({
        where: { code: { in: codes } },
        select: { code: true, resellable: true },
      });
      if (categories.length !== codes.length)
        throw new DomainError("UNKNOWN_CATEGORY", "An item has an unknown product category.", 422);
      const resellable = new Map(categories.map((c) => [c.code, c.resellable]));
      checked = true;
      const occurredAt = now();
      const risk = await assessEvent(tx, {
        kind: "PURCHASE" as const,
        customerId: input.customerId,
        storeCode: store.code,
        amount: total,
        lines: input.items.map((item) => ({
          categoryCode: item.categoryCode,
          resellable: resellable.get(item.categoryCode) === true,
          yen: item.quantity * item.unitPrice,
        })),
        at: occurredAt,
      });
      riskAssessed = true;
      // A refusal commits its decision; it is thrown once the transaction is done.
      const refusal = await applyVerdictToPurchase(tx, risk, input.secondFactorCode);
      if (refusal) return { refusal };

      const walletId = await walletAccountId(tx, input.customerId);
      // Lock the wallet so two purchases cannot both see the same balance.
      const [wallet] = await tx.$queryRaw<{ balance: bigint }[]>`
        SELECT balance FROM ledger_account WHERE id = ${walletId}::uuid FOR UPDATE`;
      if (!wallet || Number(wallet.balance) < total) {
        throw new DomainError(
          "INSUFFICIENT_BALANCE",
          `The wallet balance is not enough for this purchase of ¥${total.toLocaleString("ja-JP")}.`,
          409,
        );
      }
      const transaction = await postLedgerTransaction(tx, {
        kind: "PURCHASE",
        customerId: input.customerId,
        amount: total,
        occurredAt,
        idempotencyKey: storedKey,
        legs: [
          { accountId: walletId, amount: -total },
          { accountId: await merchantAccountId(tx, store.code), amount: total },
        ],
      });
      const created = await tx.purchase.create({
        data: {
          transactionId: transaction.id,
          customerId: input.customerId,
          storeId: store.id,
          total,
          occurredAt,
          items: {
            create: input.items.map((item) => ({
              categoryCode: item.categoryCode,
              description: item.description.trim(),
              quantity: item.quantity,
              unitPrice: item.unitPrice,
            })),
          },
        },
      });
      await recordAllowedEvent(tx, risk, transaction.id);
      return {
        purchaseId: created.id,
        transactionId: transaction.id,
        customerId: input.customerId,
        storeCode: store.code,
        total,
        balance: await walletBalance(tx, input.customerId),
        occurredAt,
        replayed: false,
      };
    },
  });
}
