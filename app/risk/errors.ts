// The payment path's risk refusals. Messages are for the customer's app: they never name the rule or its features.
import { DomainError } from "~/lib/domain-error";

const PAYMENT_NOUN = { TOPUP: "top-up", PURCHASE: "payment" } as const;

/** A rule asked for the customer's second factor (or the code given was wrong): the same for either payment kind. */
abstract class SecondFactorRequired extends DomainError {
  constructor(
    payment: keyof typeof PAYMENT_NOUN,
    readonly wrongCode: boolean,
  ) {
    super(
      `${payment}_SECOND_FACTOR_${wrongCode ? "INVALID" : "REQUIRED"}`,
      wrongCode
        ? "That authenticator code is not valid. No money was moved."
        : `Confirm this ${PAYMENT_NOUN[payment]} with a code from your authenticator app. No money was moved yet.`,
      403,
    );
  }
}

export class RiskRulesUnavailableRefusal extends DomainError {
  constructor() {
    super(
      "TOPUP_RISK_RULES_UNAVAILABLE",
      "Top-ups are refused because the payment checks could not be completed. No money was moved; please try again later.",
      503,
    );
    this.name = "RiskRulesUnavailableRefusal";
  }
}

export class RiskBlockedRefusal extends DomainError {
  constructor() {
    super("TOPUP_DECLINED", "This top-up was declined. No money was moved. Please contact support.", 422);
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
  constructor(wrongCode: boolean) {
    super("TOPUP", wrongCode);
    this.name = "RiskSecondFactorRequired";
  }
}

export class PurchaseRiskRulesUnavailableRefusal extends DomainError {
  constructor() {
    super(
      "PURCHASE_RISK_RULES_UNAVAILABLE",
      "This payment is refused because the payment checks could not be completed. No money was moved; please try again later.",
      503,
    );
    this.name = "PurchaseRiskRulesUnavailableRefusal";
  }
}

/** A purchase a rule blocked or would hold: a payment at the till cannot wait for a person, so both refuse it. */
export class PurchaseDeclinedRefusal extends DomainError {
  constructor() {
    super("PURCHASE_DECLINED", "This payment was declined. No money was moved. Please contact support.", 422);
    this.name = "PurchaseDeclinedRefusal";
  }
}

export class PurchaseSecondFactorRequired extends SecondFactorRequired {
  constructor(wrongCode: boolean) {
    super("PURCHASE", wrongCode);
    this.name = "PurchaseSecondFactorRequired";
  }
}
