// An expected failure a user can cause: bad input, a rule the domain refuses, a missing permission. Routes turn it into
// a clear message with its status; it is never a 500. Anything else thrown is a defect and shows only a request ID.
export type DomainErrorStatus = 400 | 403 | 404 | 409 | 422 | 423 | 429 | 503;

export class DomainError extends Error {
  constructor(
    /** Stable, machine-readable code, e.g. TOPUP_SUSPENDED, REVERSAL_EXCEEDS_REMAINING. */
    readonly code: string,
    message: string,
    readonly status: DomainErrorStatus = 400,
    /** Values for the translated message: errors:<code> in app/i18n/locales/{en,ja}/errors.ts. */
    readonly params: Record<string, string | number> = {},
    /**
     * Values that are lists of message keys ("notify:needs.incidentReference"): errors:<code> gets each list
     * translated and joined in the reader's language, English included (the message is then only a fallback).
     */
    readonly listParams: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A refusal the spine audits as DENIED; a capability's own refusals keep their code and status. */
export class PermissionDeniedError extends DomainError {
  constructor(
    message = "You do not have permission to do this.",
    code = "PERMISSION_DENIED",
    status: DomainErrorStatus = 403,
    params: Record<string, string | number> = {},
  ) {
    super(code, message, status, params);
    this.name = "PermissionDeniedError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
