// How many different customers one member may contain (freeze, or mark compromised) in an hour on the strength of
// their session alone (ADR 115). Its own module so a page or a test can say the figure; the check is in
// account-status.server.ts.

/**
 * Past it, each further customer's containment needs a fresh authenticator code (good for five minutes, as every
 * step-up). Containing is one click so an incident day is not slowed, but a stolen agent session looping over the
 * customers a search finds would stop every one's payments, and reopening each takes an agent's fresh code. Twenty:
 * twice the forced resets a fast desk makes in an hour (ADR 104), since an agent also freezes accounts found by a
 * search or a reversal, not only callers'; a lead containing many at once uses the bulk freeze.
 */
export const MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE = 20;
