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
