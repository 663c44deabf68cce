// A form rendered once is acted on once. The page's loader hands the form a fresh key (newSubmissionKey); the action
// claims it inside the spine's transaction, before the change. A second post of the same rendered form — a double
// click that got past the disabled button, a reload that resends the post, a retry after a timeout — waits on the
// first one's claim and then finds the key taken: it is refused, and nothing changes twice (ADR 087). If the first
// post fails, its transaction rolls the claim back with everything else, so the form can be sent again.
import { randomUUID } from "node:crypto";
import type { DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

export function newSubmissionKey(): string {
  return randomUUID();
}

/** The second post of one rendered form. Its message is a key: each action says what already happened. */
export class AlreadySubmittedError extends DomainError {
  constructor(messageKey: string) {
    super("ALREADY_SUBMITTED", messageKey, 409);
    this.name = "AlreadySubmittedError";
  }
}

/**
 * Claims `key` for `action` by `staffId` in the caller's transaction; throws AlreadySubmittedError (with
 * `messageKey`) when the form was already acted on. A post without a key (a script, an older page) is not deduplicated.
 */
export async function claimSubmission(
  tx: DbTx,
  claim: { key: string | undefined; action: string; staffId: string; messageKey: string },
): Promise<void> {
  if (claim.key === undefined) return;
  const { count } = await tx.formSubmission.createMany({
    data: [{ key: claim.key, action: claim.action, staffId: claim.staffId, createdAt: now() }],
    skipDuplicates: true,
  });
  if (count === 0) throw new AlreadySubmittedError(claim.messageKey);
}
