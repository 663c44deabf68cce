// Refusals of the wallet back end. Their messages are written for the customer's app (they never name internal
// reasons); the code is what clients and the simulator branch on.
import type { FundingKind } from "~/generated/prisma/enums";
import { DomainError } from "~/lib/domain-error";

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
