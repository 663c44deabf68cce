// Refusals of the wallet back end. Their messages are written for the customer's app (they never name internal
// reasons); the code is what clients and the simulator branch on.
import type { FundingKind } from "~/generated/prisma/enums";
import { DomainError } from "~/lib/domain-error";
import { BUSY_RETRY_AFTER_SECONDS } from "~/wallet/customer-pool-busy.server";

export class TopUpSuspendedError extends DomainError {
  constructor(
    readonly channel: FundingKind,
    /** The engaged switches that cover this top-up, e.g. ["topup.all"]. */
    readonly switchKeys: string[],
    labels: string[],
  ) {
    super(
      "TOPUP_SUSPENDED",
      `Top-ups are temporarily suspended (${labels.join(", ")}). No money was moved; please try again later.`,
      503,
    );
    this.name = "TopUpSuspendedError";
  }
}

export class SwitchStateUnavailableRefusal extends DomainError {
  constructor() {
    super(
      "TOPUP_SWITCH_STATE_UNAVAILABLE",
      "Top-ups are refused because their kill-switch state could not be confirmed. No money was moved; please try again later.",
      503,
    );
    this.name = "SwitchStateUnavailableRefusal";
  }
}

/**
 * A money movement whose COMMIT was sent but whose answer never came (the connection dropped): the database may have
 * made it or not, and this request cannot tell (ADR 108). Nothing of the driver's error is passed on. With an
 * idempotency key the client's retry under the same key settles it: answered with the movement if it was made, made
 * once if it was not. Without one, the client must look before trying again.
 */
export class OutcomeUnknownRefusal extends DomainError {
  constructor(
    readonly operation: "top-up" | "purchase",
    /** True when the request carried an idempotency key: retrying with it is safe. */
    readonly retryWithSameKey: boolean,
  ) {
    super(
      operation === "top-up" ? "TOPUP_OUTCOME_UNKNOWN" : "PURCHASE_OUTCOME_UNKNOWN",
      retryWithSameKey
        ? `We could not confirm whether this ${operation} went through. Retry it with the same idempotency key: ` +
            `you will get the ${operation} if it was made, and it will be made once if it was not.`
        : `We could not confirm whether this ${operation} went through. Check the wallet's balance and history ` +
            `before trying again.`,
      503,
    );
    this.name = "OutcomeUnknownRefusal";
  }
}

/** The customer's writes on the payment path's own pool that can be answered busy. */
export type WalletWrite = "top-up" | "purchase" | "contact change";

/**
 * A top-up, purchase or contact change that found every connection of the payment path's pool lent out and got none
 * within FIREBREAK_WALLET_POOL_WAIT_MS (docs/decisions/120-a-full-payment-pool-answers-busy.md). It never reached the
 * database: no ledger row, no balance change, no charge to the funding source, no switch or rule consulted. Retrying
 * after `retryAfterSeconds` with the same idempotency key is safe: the movement is then made once. Shown to a customer
 * as errors:WALLET_BUSY in their language (app/i18n/locales/{en,ja}/errors.ts).
 */
export class WalletBusyRefusal extends DomainError {
  /** What an HTTP answer puts in Retry-After. */
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;

  constructor(readonly operation: WalletWrite) {
    super(
      "WALLET_BUSY",
      operation === "contact change"
        ? "We are very busy right now. Nothing was changed. Please try again in a moment."
        : "We are very busy right now. No money was moved. Please try again in a moment.",
      503,
    );
    this.name = "WalletBusyRefusal";
  }
}

/**
 * A top-up, purchase or contact change that failed before its COMMIT for a reason no check answers for — the database
 * away when it began, a connection lost mid-body once the checks had decided — and that is not the pool being full
 * (WalletBusyRefusal) nor a check that could not run (the fail-closed refusals). Its transaction never committed, so
 * nothing moved or changed; the same idempotency key retried later moves the money once. The driver's words stay in
 * the server's log. Shown to a customer as errors:WALLET_UNAVAILABLE (app/i18n/locales/{en,ja}/errors.ts).
 */
export class WalletUnavailableRefusal extends DomainError {
  /** What an HTTP answer puts in Retry-After. */
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;

  constructor(readonly operation: WalletWrite) {
    super(
      "WALLET_UNAVAILABLE",
      operation === "contact change"
        ? "We cannot complete this right now. Nothing was changed. Please try again in a moment."
        : "We cannot complete this right now. No money was moved. Please try again in a moment.",
      503,
    );
    this.name = "WalletUnavailableRefusal";
  }
}
