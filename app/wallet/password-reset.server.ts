// The wallet back end's side of password resets: a customer asking for a link ("forgot password"), the reset page
// checking a link, and redeeming it. A link only ever goes to the verified email on file (the requester types who
// they are, never where to send it: 7pay's flaw). Redemption is one conditional update (unused, not superseded, not
// expired, this account's), so a link works exactly once even when two requests race. Refusals change nothing and
// are audited; no audit row, log line or error message ever holds the token or the link. Checking a link, redeeming it
// and asking for one run on the customers' own pool with their audit rows (customerAuthDb): a busy console does not
// keep a customer from the link an agent sent (docs/decisions/109-customer-sign-in-and-reset-links-on-their-own-pool.md).
import type { Actor, Origin } from "~/audit/actor";
import { addressBucket } from "~/auth/address-bucket";
import { ipThrottleState, recordIpFailure } from "~/auth/ip-throttle.server";
import { performAction } from "~/audit/perform-action.server";
import type { DbTx } from "~/db.server";
import { customerAuthDb } from "~/db.server";
import { refusedWhenBusy } from "~/wallet/customer-pool-busy.server";
import { engagedAmong, readSwitchesForFlow, SwitchStateUnavailableError } from "~/killswitch/enforcement.server";
import type { SwitchKey } from "~/killswitch/switch-keys";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { findHostileText } from "~/lib/form-text";
import { wakeOutboxWorker } from "~/notify/outbox.server";
import { findUnreviewedChange } from "~/recovery/contact-review.server";
import { revokeCustomerAccess, supersedeOutstandingLinks } from "~/recovery/force-reset.server";
import { queueResetMail } from "~/recovery/reset-mail.server";
import {
  generateResetToken,
  hashResetToken,
  looksLikeResetToken,
  RESET_TOKEN_LIFETIME_MS,
} from "~/recovery/reset-token.server";
import { ResetChecksUnavailableRefusal } from "~/risk/errors";
import { applyVerdictToResetRequest, assessEvent, readActiveRules } from "~/risk/live.server";
import { customerPasswordProblem, hashCustomerPassword } from "~/wallet/customer-auth.server";

export const RESET_SELF_SERVICE: SwitchKey = "reset.self_service";
const ONE_HOUR = 60 * 60 * 1000;
/**
 * Self-service requests per customer per hour from one requesting address (an IPv6 /64 counts as one) that may send a
 * link; more from it are answered the same way but send nothing. Counted per address so that whoever else knows the member number (a
 * thief with the stolen session) uses up their own allowance and not the customer's (ADR 115).
 */
export const MAX_SELF_SERVICE_REQUESTS_PER_ADDRESS_PER_HOUR = 3;
/**
 * Self-service links per customer per hour from all addresses together, so many requesters cannot bury the inbox.
 * Past it a request still gets a link when none of the customer's links works any more: the inbox always holds one.
 */
export const MAX_SELF_SERVICE_LINKS_PER_HOUR = 10;
/** The newest requests per customer read to count one address's: more in an hour is an attack already capped above. */
const REQUESTS_READ_PER_CUSTOMER = 200;

const ANONYMOUS: Actor = { kind: "anonymous" };
const { prisma: db } = customerAuthDb;

export const LINK_PROBLEMS = [
  "RESET_LINK_INVALID",
  "RESET_LINK_WRONG_ACCOUNT",
  "RESET_LINK_USED",
  "RESET_LINK_SUPERSEDED",
  "RESET_LINK_EXPIRED",
  "ACCOUNT_CLOSED",
  "RESET_SUSPENDED",
  "RESET_SWITCH_STATE_UNAVAILABLE",
  "RESET_LINK_THROTTLED",
] as const;
export type LinkProblem = (typeof LINK_PROBLEMS)[number];

export function isLinkProblem(code: string): code is LinkProblem {
  return (LINK_PROBLEMS as readonly string[]).includes(code);
}

// The English is the service's own (tests, logs); the reset page says it in the visitor's language from the code and
// `at` (auth:resetPassword.linkProblem.*).
function linkRefusal(problem: LinkProblem, expiresAt?: Date): DomainError {
  const refusal = englishRefusal(problem, expiresAt);
  return expiresAt
    ? new DomainError(refusal.code, refusal.message, refusal.status, { at: expiresAt.toISOString() })
    : refusal;
}

function englishRefusal(problem: LinkProblem, expiresAt?: Date): DomainError {
  switch (problem) {
    case "RESET_LINK_INVALID":
      return new DomainError(
        problem,
        "This reset link is not valid. Open the whole link from the email, or ask for a new one.",
        400,
      );
    case "RESET_LINK_WRONG_ACCOUNT":
      return new DomainError(problem, "This reset link belongs to a different account. Nothing was changed.", 403);
    case "RESET_LINK_USED":
      return new DomainError(
        problem,
        "This reset link has already been used. If you did not set a new password yourself, call support now.",
        409,
      );
    case "RESET_LINK_SUPERSEDED":
      return new DomainError(problem, "This reset link was replaced by a newer one. Use the most recent email.", 409);
    case "RESET_LINK_EXPIRED":
      return new DomainError(
        problem,
        `This reset link expired at ${formatJst(expiresAt)}. Ask for a new one from the app, or call support.`,
        409,
      );
    case "ACCOUNT_CLOSED":
      return new DomainError(problem, "This account is closed; its password cannot be reset.", 409);
    case "RESET_LINK_THROTTLED":
      return new DomainError(
        problem,
        `Too many invalid reset links were tried from this network. Try again after ${formatJst(expiresAt)}, or call support.`,
        429,
      );
    case "RESET_SUSPENDED":
      return new DomainError(
        problem,
        "Password resets requested from the app are temporarily suspended. Please call support.",
        503,
      );
    case "RESET_SWITCH_STATE_UNAVAILABLE":
      return new DomainError(
        problem,
        "Password resets requested from the app are refused right now because their safety setting could not be confirmed. Please try later.",
        503,
      );
  }
}

/** Throws unless self-service resets are allowed now; fail closed when the switch cannot be read. */
async function assertSelfServiceAllowed(tx: DbTx): Promise<void> {
  try {
    const states = await readSwitchesForFlow(tx, [RESET_SELF_SERVICE]);
    if (engagedAmong(states).length > 0) throw linkRefusal("RESET_SUSPENDED");
  } catch (error) {
    if (error instanceof SwitchStateUnavailableError) throw linkRefusal("RESET_SWITCH_STATE_UNAVAILABLE");
    throw error;
  }
}

async function customerIdOfAccount(account: unknown): Promise<string | null> {
  if (typeof account !== "string" || account.length === 0 || account.length > 40) return null;
  // The link's text reaches a query: a NUL or a malformed character would fail there (a 500) instead of naming no one.
  if (findHostileText(account)) return null;
  const found = await db.customer.findUnique({ where: { displayId: account }, select: { id: true } });
  return found?.id ?? null;
}

/** Why a link cannot be used (or null), judged from its row; the redemption's conditional update decides for real. */
async function problemOf(tx: DbTx, token: string, accountId: string | null) {
  if (!looksLikeResetToken(token)) return { problem: "RESET_LINK_INVALID" as const, row: null };
  const row = await tx.passwordResetToken.findUnique({
    where: { id: hashResetToken(token) },
    include: { customer: { select: { status: true, displayId: true, email: true } } },
  });
  if (!row) return { problem: "RESET_LINK_INVALID" as const, row: null };
  if (!accountId || row.customerId !== accountId) return { problem: "RESET_LINK_WRONG_ACCOUNT" as const, row };
  if (row.usedAt) return { problem: "RESET_LINK_USED" as const, row };
  if (row.supersededAt) return { problem: "RESET_LINK_SUPERSEDED" as const, row };
  if (row.expiresAt <= now()) return { problem: "RESET_LINK_EXPIRED" as const, row };
  if (row.customer.status === "CLOSED") return { problem: "ACCOUNT_CLOSED" as const, row };
  return { problem: null, row };
}

export type LinkInspection =
  | { ok: true; displayId: string; expiresAt: Date; email: string }
  | { ok: false; code: LinkProblem; message: string; at: string | null };

/** For the reset page's loader: can this link be used? Reads only. */
export function inspectResetLink(token: unknown, account: unknown, ip: string | null = null): Promise<LinkInspection> {
  return refusedWhenBusy(() => inspectOnTheCustomersPool(token, account, ip));
}

async function inspectOnTheCustomersPool(token: unknown, account: unknown, ip: string | null): Promise<LinkInspection> {
  const accountId = await customerIdOfAccount(account);
  const throttled = await throttledRefusal(ip, token, accountId);
  if (throttled) return { ok: false, code: "RESET_LINK_THROTTLED", message: throttled.message, at: atOf(throttled) };
  const { problem, row } = await db.$transaction((tx) => problemOf(tx, String(token ?? ""), accountId));
  if (problem || !row) {
    const error = linkRefusal(problem ?? "RESET_LINK_INVALID", row?.expiresAt);
    await countGuess(error, ip);
    return { ok: false, code: error.code as LinkProblem, message: error.message, at: atOf(error) };
  }
  return { ok: true, displayId: row.customer.displayId, expiresAt: row.expiresAt, email: row.customer.email };
}

function atOf(error: DomainError): string | null {
  return typeof error.params.at === "string" ? error.params.at : null;
}

// Links carry 256 random bits, so guessing one is hopeless; the throttle is there to make trying visibly pointless and
// to keep a scanner from costing us an argon2 hash per request. Only a link that matches nothing (or names another
// account) counts: an expired or used link is a customer's ordinary mistake. A link that works is never refused: the
// address may be a carrier's NAT shared with whoever ran the throttle up (on incident day, the attacker keeping
// victims from their reset links), and a live link cannot be guessed, so letting it through tells a scanner nothing.
async function throttledRefusal(ip: string | null, token: unknown, accountId: string | null) {
  const state = await ipThrottleState(ip, "reset-link", db);
  if (!state.throttled || (await isLiveLink(token, accountId))) return null;
  return linkRefusal("RESET_LINK_THROTTLED", state.retryAt ?? undefined);
}

/** Whether this is a link of the named account that would work now: a hash and one lookup, no argon2. */
async function isLiveLink(token: unknown, accountId: string | null): Promise<boolean> {
  if (!accountId || typeof token !== "string" || !looksLikeResetToken(token)) return false;
  const live = await db.passwordResetToken.findFirst({
    where: {
      id: hashResetToken(token),
      customerId: accountId,
      usedAt: null,
      supersededAt: null,
      expiresAt: { gt: now() },
    },
    select: { id: true },
  });
  return live !== null;
}

async function countGuess(error: unknown, ip: string | null): Promise<void> {
  const code = (error as { code?: unknown }).code;
  if (code === "RESET_LINK_INVALID" || code === "RESET_LINK_WRONG_ACCOUNT") {
    await db.$transaction((tx) => recordIpFailure(tx, ip, "reset-link"));
  }
}

export interface RedeemInput {
  token: string;
  /** The account named in the link (display ID). */
  account: string;
  newPassword: string;
  origin: Origin;
}

/** Sets the new password with a link, once. Every refusal is audited (FAILED, with its code) and changes nothing. */
export function redeemPasswordReset(input: RedeemInput): Promise<{ displayId: string }> {
  return refusedWhenBusy(() => redeemOnTheCustomersPool(input));
}

async function redeemOnTheCustomersPool(input: RedeemInput): Promise<{ displayId: string }> {
  const accountId = await customerIdOfAccount(input.account);
  const throttled = await throttledRefusal(input.origin.ip, input.token, accountId);
  if (throttled) throw throttled;
  const owner = accountId ? await db.customer.findUnique({ where: { id: accountId }, select: { email: true } }) : null;
  const problem = customerPasswordProblem(input.newPassword, owner?.email);
  // A weak password is the customer's typo, not an attack on the link: answer it without using the link up.
  if (problem) throw new DomainError("PASSWORD_POLICY", problem, 400);
  const passwordHash = await hashCustomerPassword(input.newPassword);

  try {
    return await redeemWithLink(input, accountId, passwordHash);
  } catch (error) {
    await countGuess(error, input.origin.ip);
    throw error;
  }
}

async function redeemWithLink(
  input: RedeemInput,
  accountId: string | null,
  passwordHash: string,
): Promise<{ displayId: string }> {
  return performAction(
    { actor: ANONYMOUS, origin: input.origin },
    {
      action: "customer.password-reset.redeem",
      permission: null,
      targetType: "customer",
      targetId: accountId ?? undefined,
    },
    async (tx) => {
      const { problem: linkProblem, row } = await problemOf(tx, input.token, accountId);
      if (linkProblem || !row) throw linkRefusal(linkProblem ?? "RESET_LINK_INVALID", row?.expiresAt);
      // A self-service link is stopped by the switch that stops self-service resets; a staff-forced one is not.
      if (row.origin === "SELF_SERVICE") await assertSelfServiceAllowed(tx);

      await tx.$queryRaw`SELECT id FROM customer WHERE id = ${row.customerId}::uuid FOR UPDATE`;
      const at = now();
      const used = await tx.passwordResetToken.updateMany({
        where: { id: row.id, customerId: row.customerId, usedAt: null, supersededAt: null, expiresAt: { gt: at } },
        data: { usedAt: at },
      });
      if (used.count !== 1) {
        // Lost a race with another use of the same link (or it expired this instant): say which.
        const again = await problemOf(tx, input.token, accountId);
        throw linkRefusal(again.problem ?? "RESET_LINK_USED", row.expiresAt);
      }
      const customer = await tx.customer.update({
        where: { id: row.customerId },
        data: { passwordHash, mustChangePassword: false },
        select: { displayId: true, mustEnrollTwoFactor: true },
      });
      const linksSuperseded = await supersedeOutstandingLinks(tx, row.customerId, at);
      // Whoever held a session before the new password no longer does.
      const revoked = await revokeCustomerAccess(tx, row.customerId, at);
      return {
        result: { displayId: customer.displayId },
        targetId: row.customerId,
        after: {
          passwordChanged: true,
          linkOrigin: row.origin,
          linkSentTo: row.sentTo,
          linksSuperseded,
          sessionsRevoked: revoked.sessionsRevoked,
          mustEnrollTwoFactor: customer.mustEnrollTwoFactor,
        },
      };
    },
    customerAuthDb,
  );
}

/** The nil UUID: names no customer, so a request for nobody reads what a request for someone reads, and finds nothing. */
const NO_CUSTOMER = "00000000-0000-0000-0000-000000000000";

/** Everything the decision to send a link reads, read in full whatever the answer turns out to be. */
async function readRequestFacts(tx: DbTx, customerId: string, ip: string | null, at: Date) {
  const customer = await tx.customer.findUnique({
    where: { id: customerId },
    select: { id: true, displayId: true, email: true, emailVerified: true, status: true },
  });
  const emailUnderReview = (await findUnreviewedChange(tx, customerId, "EMAIL")) !== null;
  const hourAgo = new Date(at.getTime() - ONE_HOUR);
  const recentLinks = await tx.passwordResetToken.count({
    where: { customerId, origin: "SELF_SERVICE", createdAt: { gt: hourAgo } },
  });
  const liveLinks = await tx.passwordResetToken.findMany({
    where: { customerId, usedAt: null, supersededAt: null, expiresAt: { gt: at } },
    select: { origin: true },
  });
  // This request's own row is among them (it is recorded before the facts are read).
  const recentRequests = await tx.resetRequest.findMany({
    where: { customerId, requestedAt: { gt: hourAgo } },
    orderBy: { requestedAt: "desc" },
    take: REQUESTS_READ_PER_CUSTOMER,
    select: { ip: true },
  });
  const source = requesterBucket(ip);
  const requestsFromSource = recentRequests.filter((row) => requesterBucket(row.ip) === source).length;
  return {
    customer,
    emailUnderReview,
    recentLinks,
    requestsFromSource,
    staffLinkLive: liveLinks.some((link) => link.origin !== "SELF_SERVICE"),
    anyLinkLive: liveLinks.length > 0,
  };
}

function requesterBucket(ip: string | null): string {
  return ip ? addressBucket(ip) : "unknown";
}

type RequestFacts = Awaited<ReturnType<typeof readRequestFacts>>;

/** Why no self-service link goes out for a customer whose verified address could take one, or null to send it. */
function limitReason(facts: RequestFacts): string | null {
  // A link an agent forced is in the customer's inbox and works: voiding it would undo the agent's reset.
  if (facts.staffLinkLive) return "agent link outstanding";
  if (facts.requestsFromSource > MAX_SELF_SERVICE_REQUESTS_PER_ADDRESS_PER_HOUR) return "throttled";
  if (facts.recentLinks >= MAX_SELF_SERVICE_LINKS_PER_HOUR && facts.anyLinkLive) return "throttled";
  return null;
}

export interface SelfServiceRequest {
  /** Who the requester says they are: member number or email. Never where to send the link. */
  identifier: string;
  origin: Origin;
}

/**
 * "Forgot password" from the app. Always answers the same (no account enumeration) unless self-service resets are
 * suspended. The link goes to the verified email on file, or nowhere.
 */
export function requestPasswordReset(input: SelfServiceRequest): Promise<{ accepted: true }> {
  return refusedWhenBusy(() => requestOnTheCustomersPool(input));
}

async function requestOnTheCustomersPool(input: SelfServiceRequest): Promise<{ accepted: true }> {
  const identifier = typeof input.identifier === "string" ? input.identifier.trim() : "";
  let customerId: string | null = null;
  if (identifier.length > 0 && identifier.length <= 320) {
    const matches = await db.customer.findMany({
      where: identifier.includes("@")
        ? { email: { equals: identifier, mode: "insensitive" } }
        : { displayId: identifier },
      select: { id: true },
      take: 2,
    });
    // An address shared by several accounts identifies none of them.
    if (matches.length === 1) customerId = matches[0]!.id;
  }
  // Set while the risk rules are read and applied: a failure then means they could not decide, and the request is
  // refused for everyone alike (named account or not), so the refusal says nothing about the account.
  let assessing = false;
  let queued: boolean;
  try {
    queued = await performAction(
      { actor: ANONYMOUS, origin: input.origin },
      {
        action: "customer.password-reset.request",
        permission: null,
        targetType: "customer",
        targetId: customerId ?? undefined,
      },
      async (tx) => {
        await assertSelfServiceAllowed(tx);
        const requestedAt = now();
        const ip = typeof input.origin.ip === "string" ? input.origin.ip.slice(0, 64) : null;
        assessing = true;
        // The same lock and reads run for a request that names nobody (the nil id matches no row), so the work before
        // the answer does not depend on whether the account exists (ADR 079).
        const subject = customerId ?? NO_CUSTOMER;
        await tx.$queryRaw`SELECT id FROM customer WHERE id = ${subject}::uuid FOR UPDATE`;
        let riskAllows = true;
        if (customerId) {
          const risk = await assessEvent(tx, { kind: "RESET_REQUEST" as const, customerId, ip, at: requestedAt });
          riskAllows = await applyVerdictToResetRequest(tx, risk);
        } else {
          // The same read for a request that names no account, so both fail (and answer) alike.
          await readActiveRules(tx);
        }
        assessing = false;
        // Every request is recorded (after it was decided: it is not its own history).
        await tx.resetRequest.create({ data: { customerId, ip, requestedAt } });
        const at = now();
        const facts = await readRequestFacts(tx, subject, ip, at);
        if (!customerId || !facts.customer) return { result: false, after: { matched: false } };
        if (!riskAllows) return { result: false, after: { matched: true, sent: false, why: "risk rule" } };
        const customer = facts.customer;
        if (customer.status === "CLOSED")
          return { result: false, after: { matched: true, sent: false, why: "closed" } };
        if (!customer.emailVerified) {
          return { result: false, after: { matched: true, sent: false, why: "no verified email" } };
        }
        // An address set by a recent change nobody reviewed may be the attacker's: it gets no link until an agent has
        // restored or confirmed the contact (the customer is told the same as everyone and can call support).
        if (facts.emailUnderReview) {
          return { result: false, after: { matched: true, sent: false, why: "email under review" } };
        }
        const limited = limitReason(facts);
        if (limited) return { result: false, after: { matched: true, sent: false, why: limited } };
        await supersedeOutstandingLinks(tx, customerId, at);
        const token = generateResetToken();
        const tokenId = hashResetToken(token);
        const expiresAt = new Date(at.getTime() + RESET_TOKEN_LIFETIME_MS);
        await tx.passwordResetToken.create({
          data: { id: tokenId, customerId, origin: "SELF_SERVICE", sentTo: customer.email, createdAt: at, expiresAt },
        });
        const mail = await queueResetMail(tx, {
          customerId,
          displayId: customer.displayId,
          token,
          tokenId,
          expiresAt,
          actor: ANONYMOUS,
        });
        if (mail.kind !== "QUEUED") {
          await tx.passwordResetToken.update({ where: { id: tokenId }, data: { supersededAt: at } });
          return { result: false, after: { matched: true, sent: false, why: mail.reason } };
        }
        return { result: true, after: { matched: true, sent: true, sentTo: mail.to, expiresAt } };
      },
      customerAuthDb,
    );
  } catch (error) {
    if (assessing && !(error instanceof DomainError)) throw new ResetChecksUnavailableRefusal();
    throw error;
  }
  if (queued) wakeOutboxWorker();
  return { accepted: true };
}
