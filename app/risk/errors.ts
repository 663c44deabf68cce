// The payment path's risk refusals. Messages are for the customer's app: they never name the rule or its features.
import { DomainError } from "~/lib/domain-error";

type Payment = "TOPUP" | "PURCHASE";
const PAYMENT_NOUN: Record<Payment, string> = { TOPUP: "top-up", PURCHASE: "payment" };
const REFUSED: Record<Payment, string> = { TOPUP: "Top-ups are refused", PURCHASE: "This payment is refused" };

/** The rule set could not be read: the payment fails closed. */
abstract class RulesUnavailableRefusal extends DomainError {
  constructor(payment: Payment) {
    super(
      `${payment}_RISK_RULES_UNAVAILABLE`,
      `${REFUSED[payment]} because the payment checks could not be completed. No money was moved; please try again later.`,
      503,
    );
  }
}

abstract class DeclinedRefusal extends DomainError {
  constructor(payment: Payment) {
    super(
      `${payment}_DECLINED`,
      `This ${PAYMENT_NOUN[payment]} was declined. No money was moved. Please contact support.`,
      422,
    );
  }
}

/** Why a step-up refused: no code yet, a wrong code, or too many wrong codes (locked until the next sign-in). */
export type SecondFactorRefusalKind = "REQUIRED" | "INVALID" | "LOCKED";

const LOCKED_HINT = "Too many wrong authenticator codes. Sign in to the app again, then try once more.";

/** A rule asked for the customer's second factor (or the code given was wrong, or step-ups are locked). */
abstract class SecondFactorRequired extends DomainError {
  constructor(
    payment: Payment,
    readonly why: SecondFactorRefusalKind,
  ) {
    super(
      `${payment}_SECOND_FACTOR_${why}`,
      why === "LOCKED"
        ? `${LOCKED_HINT} No money was moved.`
        : why === "INVALID"
          ? "That authenticator code is not valid. No money was moved."
          : `Confirm this ${PAYMENT_NOUN[payment]} with a code from your authenticator app. No money was moved yet.`,
      why === "LOCKED" ? 429 : 403,
    );
  }
}

export class RiskRulesUnavailableRefusal extends RulesUnavailableRefusal {
  constructor() {
    super("TOPUP");
    this.name = "RiskRulesUnavailableRefusal";
  }
}

export class RiskBlockedRefusal extends DeclinedRefusal {
  constructor() {
    super("TOPUP");
    this.name = "RiskBlockedRefusal";
  }
}

export class RiskHeldRefusal extends DomainError {
  constructor(readonly reviewId: string) {
    super(
      "TOPUP_HELD_FOR_REVIEW",
      "This top-up is being checked. No money has moved yet; it will be added once it is approved.",
      409,
    );
    this.name = "RiskHeldRefusal";
  }
}

export class RiskSecondFactorRequired extends SecondFactorRequired {
  constructor(why: SecondFactorRefusalKind) {
    super("TOPUP", why);
    this.name = "RiskSecondFactorRequired";
  }
}

export class PurchaseRiskRulesUnavailableRefusal extends RulesUnavailableRefusal {
  constructor() {
    super("PURCHASE");
    this.name = "PurchaseRiskRulesUnavailableRefusal";
  }
}

/** A purchase a rule blocked or would hold: a payment at the till cannot wait for a person, so both refuse it. */
export class PurchaseDeclinedRefusal extends DeclinedRefusal {
  constructor() {
    super("PURCHASE");
    this.name = "PurchaseDeclinedRefusal";
  }
}

export class PurchaseSecondFactorRequired extends SecondFactorRequired {
  constructor(why: SecondFactorRefusalKind) {
    super("PURCHASE", why);
    this.name = "PurchaseSecondFactorRequired";
  }
}

export class ContactChangeChecksUnavailableRefusal extends DomainError {
  constructor() {
    super(
      "CONTACT_CHANGE_CHECKS_UNAVAILABLE",
      "Your contact details were not changed because the security checks could not be completed. Please try again later.",
      503,
    );
    this.name = "ContactChangeChecksUnavailableRefusal";
  }
}

/**
 * A contact change a rule blocked or held: nothing is changed. Support checks the account on the customer's call; it
 * never sets a contact to a value typed by an agent (ADR 084), so the answer promises a check, not the change.
 */
export class ContactChangeRefusal extends DomainError {
  constructor(readonly outcome: "BLOCK" | "HOLD") {
    super(
      outcome === "HOLD" ? "CONTACT_CHANGE_HELD" : "CONTACT_CHANGE_DECLINED",
      outcome === "HOLD"
        ? "This change needs a check by our support team. Nothing was changed; please call support so they can check your account."
        : "This change was declined. Nothing was changed. Please contact support.",
      outcome === "HOLD" ? 409 : 422,
    );
    this.name = "ContactChangeRefusal";
  }
}

export class ContactChangeSecondFactorRequired extends DomainError {
  constructor(readonly why: SecondFactorRefusalKind) {
    super(
      `CONTACT_CHANGE_SECOND_FACTOR_${why}`,
      why === "LOCKED"
        ? `${LOCKED_HINT} Nothing was changed.`
        : why === "INVALID"
          ? "That authenticator code is not valid. Nothing was changed."
          : "Confirm this change with a code from your authenticator app. Nothing was changed yet.",
      why === "LOCKED" ? 429 : 403,
    );
    this.name = "ContactChangeSecondFactorRequired";
  }
}

export class ResetChecksUnavailableRefusal extends DomainError {
  constructor() {
    super(
      "RESET_CHECKS_UNAVAILABLE",
      "Password resets requested from the app are refused right now because their security checks could not be completed. Please try later.",
      503,
    );
    this.name = "ResetChecksUnavailableRefusal";
  }
}
