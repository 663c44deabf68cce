// Refusals of a kill-switch change. They extend PermissionDeniedError so that the spine records them as DENIED, as the
// governance rules require: a blank reason, an unknown switch, a self-approval or a stale approval is a request the
// policy refused, not a system failure (docs/decisions/007-kill-switch-propagation.md). Each keeps its own stable code
// and HTTP status, and a message written for the security lead who caused it.
import { PermissionDeniedError, type DomainErrorStatus } from "~/lib/domain-error";

export class KillSwitchRefusal extends PermissionDeniedError {
  constructor(
    code: string,
    message: string,
    status: DomainErrorStatus = 400,
    /** Values for errors:<code> in the member's language. */
    params: Record<string, string | number> = {},
  ) {
    super(message, code, status, params);
    this.name = "KillSwitchRefusal";
  }
}
