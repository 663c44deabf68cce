// Refusals of a reversal. Two kinds, because the audit trail tells them apart:
//   - ReversalError (a DomainError): the input or the money does not allow it (bad amount, over the remainder, wallet
//     would go negative, unknown reason…). The spine records the attempt as FAILED.
//   - ReversalDenied (a PermissionDeniedError): policy refused the person (self-approval, no step-up, missing the
//     large-reversal permission). The spine records the attempt as DENIED.
// Both carry a stable code and a message written for the staff member who caused it; routes show the message.
import { DomainError, PermissionDeniedError, type DomainErrorStatus } from "~/lib/domain-error";

export class ReversalError extends DomainError {
  constructor(
    code: string,
    message: string,
    status: DomainErrorStatus = 422,
    /** Values for errors:<code> in the member's language. */
    params: Record<string, string | number> = {},
  ) {
    super(code, message, status, params);
    this.name = "ReversalError";
  }
}

export class ReversalDenied extends PermissionDeniedError {
  constructor(code: string, message: string, status: DomainErrorStatus = 403) {
    super(message, code, status);
    this.name = "ReversalDenied";
  }
}
