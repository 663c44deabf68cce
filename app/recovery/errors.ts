// Refusals of the recovery flows. Each has a stable code (tests, the simulator and the audit row's error field use it)
// and a message written for the agent or customer who caused it. None may ever carry a token, a link or an answer the
// caller gave: the spine copies the message into the FAILED audit row.
import { DomainError, type DomainErrorStatus } from "~/lib/domain-error";

export type RecoveryRefusalCode =
  | "CUSTOMER_NOT_FOUND"
  | "ACCOUNT_CLOSED"
  | "CONTACT_CHANGE_NOT_FOUND"
  | "CONTACT_NEVER_VERIFIED"
  | "CONTACT_STALE"
  | "NOTHING_TO_RESTORE"
  | "IDENTITY_CHECK_REQUIRED"
  | "IDENTITY_CHECK_LOCKED"
  | "IDENTITY_CHECK_EMPTY"
  | "IDENTITY_FACT_UNAVAILABLE"
  | "COHORT_NOT_FOUND"
  | "COHORT_EMPTY"
  | "COHORT_TOO_LARGE"
  | "NO_KNOWN_GOOD_CONTACT"
  | "RECOVERY_CODE_LIMIT"
  | "RECOVERY_CODE_INVALID"
  | "RECOVERY_CODE_REQUIRED"
  | "NOT_KNOWN_GOOD"
  | "NOTHING_TO_KEEP"
  | "KEEP_REQUEST_NOT_FOUND"
  | "KEEP_REQUEST_PENDING"
  | "FOUR_EYES";

export class RecoveryRefusal extends DomainError {
  constructor(code: RecoveryRefusalCode, message: string, status: DomainErrorStatus = 409) {
    super(code, message, status);
    this.name = "RecoveryRefusal";
  }
}

export function customerNotFound(): RecoveryRefusal {
  return new RecoveryRefusal("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
}
