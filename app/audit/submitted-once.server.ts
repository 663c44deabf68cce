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

/**
 * The second post of one rendered form. Its message is a key: each action says what already happened. `outcome` is
 * what the first post made (when its action recorded one and the same member sent both), so the page can show it.
 */
export class AlreadySubmittedError extends DomainError {
  constructor(
    messageKey: string,
    readonly outcome: string | null = null,
  ) {
    super("ALREADY_SUBMITTED", messageKey, 409);
    this.name = "AlreadySubmittedError";
  }
}

/**
 * Claims `key` for `action` by `staffId` in the caller's transaction; throws AlreadySubmittedError (with
 * `messageKey`) when the form was already acted on. A post without a key (a script, an older page) is not deduplicated.
 * `outcome` is what this post will make (an id the action chose before making it): a repeat is handed it back.
 */
export async function claimSubmission(
  tx: DbTx,
  claim: { key: string | undefined; action: string; staffId: string; messageKey: string; outcome?: string },
): Promise<void> {
  if (claim.key === undefined) return;
  const { count } = await tx.formSubmission.createMany({
    data: [
      {
        key: claim.key,
        action: claim.action,
        staffId: claim.staffId,
        createdAt: now(),
        outcome: claim.outcome ?? null,
      },
    ],
    skipDuplicates: true,
  });
  if (count > 0) return;
  // The insert waited for the first post's transaction and found its key committed; this statement sees that row.
  // Another member's or another form's key (a replayed or forged post) is refused without showing what it made.
  const first = await tx.formSubmission.findUnique({ where: { key: claim.key } });
  const same = first !== null && first.action === claim.action && first.staffId === claim.staffId;
  throw new AlreadySubmittedError(claim.messageKey, same ? first.outcome : null);
}
