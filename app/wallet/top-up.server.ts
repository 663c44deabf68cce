// A customer tops up their wallet from a linked funding source. This is the path the kill switches guard: inside the
// top-up's own transaction the covering switches (topup.all and the channel's own) are read FOR SHARE, and the
// top-up is refused while any is engaged — or when their state cannot be read at all (fail closed). Then, in the same
// transaction, the active risk rules decide (app/risk/live.server.ts): allow, step up, hold for review or block; if the
// rules or the features cannot be read the top-up is refused too.
import type { DbTx } from "~/db.server";
import type { FundingKind } from "~/generated/prisma/enums";
import { engagedAmong, readSwitchesForFlow, SwitchStateUnavailableError } from "~/killswitch/enforcement.server";
import { switchesCoveringTopUp } from "~/killswitch/switch-keys";
import { assertYen, postLedgerTransaction, systemAccountId, walletAccountId } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";
import { countTopUpDecision } from "~/ops/metrics.server";
import { RiskBlockedRefusal, RiskHeldRefusal, RiskRulesUnavailableRefusal } from "~/risk/errors";
import { applyVerdictBeforeMoney, assessTopUp, recordAllowedTopUp } from "~/risk/live.server";
import { assertCustomerCanTransact, validateIdempotencyKey } from "~/wallet/customer-guard.server";
import { OutcomeUnknownRefusal, SwitchStateUnavailableRefusal, TopUpSuspendedError } from "~/wallet/errors";
import {
  runMoneyMovement,
  scopedIdempotencyKey,
  walletBalance,
  type WalletOptions,
} from "~/wallet/transaction-runner.server";

/** The most one top-up may add (yen). */
export const MAX_TOPUP_YEN = 100_000;

export interface TopUpInput {
  customerId: string;
  fundingSourceId: string;
  /** Integer yen. */
  amount: number;
  /** Chosen by the client; a retry with the same key returns the first result instead of moving money twice. */
  idempotencyKey?: string | null;
  /** The customer's authenticator code, when a risk rule asked this top-up to be confirmed (step-up). */
  secondFactorCode?: string | null;
}

export interface TopUpResult {
  transactionId: string;
  customerId: string;
  fundingSourceId: string;
  channel: FundingKind;
  amount: number;
  /** Wallet balance after the top-up (for a replay: now). */
  balance: number;
  occurredAt: Date;
  /** True when this answered a retry of an earlier top-up with the same idempotency key. */
  replayed: boolean;
}

/**
 * The switch check on its own, as the top-up runs it, inside the caller's transaction. Throws TOPUP_SUSPENDED or
 * TOPUP_SWITCH_STATE_UNAVAILABLE. Exported for the console's enforcement probe; money paths call topUp().
 */
export async function assertTopUpsAllowed(tx: DbTx, channel: FundingKind): Promise<void> {
  let states;
  try {
    states = await readSwitchesForFlow(tx, switchesCoveringTopUp(channel));
  } catch (error) {
    if (error instanceof SwitchStateUnavailableError) throw new SwitchStateUnavailableRefusal();
    throw error;
  }
  const engaged = engagedAmong(states);
  if (engaged.length > 0) {
    throw new TopUpSuspendedError(
      channel,
      engaged.map((s) => s.key),
      engaged.map((s) => s.label),
    );
  }
}

function validateTopUp(input: TopUpInput): string | null {
  assertYen(input.amount, "top-up amount");
  if (input.amount > MAX_TOPUP_YEN) {
    throw new DomainError(
      "TOPUP_LIMIT_EXCEEDED",
      `One top-up can add at most ¥${MAX_TOPUP_YEN.toLocaleString("ja-JP")}.`,
      422,
    );
  }
  if (!isUuid(input.customerId) || !isUuid(input.fundingSourceId)) {
    throw new DomainError("FUNDING_SOURCE_NOT_FOUND", "There is no such funding source for this customer.", 404);
  }
  return scopedIdempotencyKey("topup", input.customerId, validateIdempotencyKey(input.idempotencyKey));
}

function keyReused(): DomainError {
  return new DomainError(
    "IDEMPOTENCY_KEY_REUSED",
    "This idempotency key was already used for a different top-up.",
    409,
  );
}

/**
 * A top-up a rule held under this key: the same answer again while it waits or once declined, and, once approved,
 * the top-up the approval posted. Never a second review item for one top-up (two approvals would charge twice).
 */
async function findHeldReplay(tx: DbTx, storedKey: string, input: TopUpInput): Promise<TopUpResult | null> {
  const held = await tx.riskReview.findUnique({ where: { idempotencyKey: storedKey } });
  if (!held) return null;
  if (held.amount !== input.amount || held.fundingSourceId !== input.fundingSourceId) throw keyReused();
  if (held.status === "PENDING") throw new RiskHeldRefusal(held.id);
  if (held.status === "DECLINED" || !held.transactionId) throw new RiskBlockedRefusal();
  const posted = await tx.ledgerTransaction.findUniqueOrThrow({ where: { id: held.transactionId } });
  return replayOf(tx, posted, {
    customerId: input.customerId,
    fundingSourceId: held.fundingSourceId,
    channel: held.channel,
  });
}

/**
 * The answer a retried top-up gets: the one posted under its key (keys are scoped to the customer), and the wallet's
 * balance now.
 */
async function replayOf(
  tx: DbTx,
  posted: { id: string; amount: number; occurredAt: Date },
  source: Pick<TopUpResult, "customerId" | "fundingSourceId" | "channel">,
): Promise<TopUpResult> {
  return {
    transactionId: posted.id,
    customerId: source.customerId,
    fundingSourceId: source.fundingSourceId,
    channel: source.channel,
    amount: posted.amount,
    balance: await walletBalance(tx, source.customerId),
    occurredAt: posted.occurredAt,
    replayed: true,
  };
}

async function findReplay(tx: DbTx, storedKey: string, input: TopUpInput): Promise<TopUpResult | null> {
  const existing = await tx.ledgerTransaction.findUnique({ where: { idempotencyKey: storedKey } });
  if (!existing) return findHeldReplay(tx, storedKey, input);
  if (
    existing.kind !== "TOP_UP" ||
    existing.amount !== input.amount ||
    existing.fundingSourceId !== input.fundingSourceId ||
    !existing.channel
  ) {
    throw keyReused();
  }
  return replayOf(tx, existing, {
    customerId: input.customerId,
    fundingSourceId: input.fundingSourceId,
    channel: existing.channel,
  });
}

export async function topUp(input: TopUpInput, options: WalletOptions = {}): Promise<TopUpResult> {
  try {
    const result = await decideTopUp(input, options);
    countTopUpDecision(result.replayed ? "REPLAYED" : "ACCEPTED");
    return result;
  } catch (error) {
    countTopUpDecision(error instanceof DomainError ? error.code : "ERROR");
    throw error;
  }
}

async function decideTopUp(input: TopUpInput, options: WalletOptions): Promise<TopUpResult> {
  const storedKey = validateTopUp(input);
  // Until the switches have been read, any failure means their state is unknown: refuse (fail closed). The same for
  // the risk rules and features afterwards.
  let switchesRead = false;
  let riskAssessed = false;
  return runMoneyMovement(options, {
    storedKey,
    operation: "top-up",
    replay: (tx, key) => findReplay(tx, key, input),
    failClosed: () =>
      !switchesRead ? new SwitchStateUnavailableRefusal() : !riskAssessed ? new RiskRulesUnavailableRefusal() : null,
    outcomeUnknown: () => new OutcomeUnknownRefusal("top-up", storedKey !== null),
    async body(tx) {
      const source = await tx.fundingSource.findFirst({
        where: { id: input.fundingSourceId, customerId: input.customerId },
        select: { id: true, kind: true },
      });
      if (!source)
        throw new DomainError("FUNDING_SOURCE_NOT_FOUND", "There is no such funding source for this customer.", 404);
      await assertTopUpsAllowed(tx, source.kind);
      switchesRead = true;
      await assertCustomerCanTransact(tx, input.customerId);
      const occurredAt = now();
      const risk = await assessTopUp(tx, {
        customerId: input.customerId,
        fundingSourceId: source.id,
        channel: source.kind,
        amount: input.amount,
        at: occurredAt,
      });
      riskAssessed = true;
      // A refusal commits its decision (and a hold its review item); it is thrown once the transaction is done.
      const refusal = await applyVerdictBeforeMoney(tx, risk, { ...input, storedKey });
      if (refusal) return { refusal };
      const walletId = await walletAccountId(tx, input.customerId);
      const clearingId = await systemAccountId(tx, `clearing:${source.kind}`);
      const transaction = await postLedgerTransaction(tx, {
        kind: "TOP_UP",
        customerId: input.customerId,
        amount: input.amount,
        occurredAt,
        fundingSourceId: source.id,
        channel: source.kind,
        idempotencyKey: storedKey,
        legs: [
          { accountId: walletId, amount: input.amount },
          { accountId: clearingId, amount: -input.amount },
        ],
      });
      await recordAllowedTopUp(tx, risk, transaction.id);
      return {
        transactionId: transaction.id,
        customerId: input.customerId,
        fundingSourceId: source.id,
        channel: source.kind,
        amount: input.amount,
        balance: await walletBalance(tx, input.customerId),
        occurredAt,
        replayed: false,
      };
    },
  });
}
