// How many different customers one member may force-reset in an hour on the strength of their session alone (ADR 104).
// Its own module so the recovery page's form can say the figure; the check is in force-reset.server.ts.

/**
 * Past it, each further customer needs a fresh authenticator code. A forced reset ends the customer's sessions and
 * voids their password, so a stolen agent session looping over customers would lock thousands out of their wallets.
 * A code stops the thief, who lacks the authenticator, and costs an agent on a busy incident day one code per
 * further customer (ADR 115), never a refusal. A victim's call (find, check, freeze, reverse, reset, explain) takes
 * longer than six minutes, so ten different customers in an hour is already a fast desk.
 */
export const MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE = 10;
