// Customer sign-in to the wallet app (the wallet back end's side of account recovery). Rules:
//   - argon2id passwords (the console's parameters); an unknown account costs the same as a wrong password;
//   - while the password is marked must-change (a forced reset), every sign-in is refused with PASSWORD_RESET_REQUIRED,
//     whether or not the password typed is the old one, and nothing about it is revealed;
//   - a device the customer never signed in on is a new device: refused while the signin.new_device kill switch is
//     engaged, or when its state cannot be read (fail closed, read FOR SHARE inside the sign-in's transaction);
//     a device the customer used before (even one a forced reset revoked) is not new;
//   - a customer with an authenticator must give a code; one required to enrol (a forced reset's option) must enrol
//     one first: neither gets a session from the password alone (customer-auth-two-factor.server.ts);
//   - the active sign-in risk rules decide once the password is right, before any session or challenge, in the same
//     transaction (app/risk/live.server.ts): a hold or a block refuses the sign-in, a step-up is the authenticator's
//     challenge (refused for a customer without one); rules that cannot be read refuse it too (fail closed);
//   - 10 failures in 15 minutes (wrong passwords and wrong codes at the second step alike) stop sign-in for that
//     account for a while, and many failures from one source stop sign-in from it (customer-sign-in-limits.server.ts);
//     an unknown account is counted, verified and refused exactly like a known one; every attempt that names an
//     account is a login_event row.
// Every statement of a sign-in, its audit rows included, runs on the customers' own pool (customerAuthDb): a busy
// console does not keep a customer from signing in (docs/decisions/109-customer-sign-in-and-reset-links-on-their-own-pool.md).
import type { Actor } from "~/audit/actor";
import { performAction } from "~/audit/perform-action.server";
import { hashPassword, verifyAgainstDummyHash, verifyPassword } from "~/auth/password.server";
import { passwordProblem, passwordProblemMessage } from "~/auth/password-policy";
import type { DbTx } from "~/db.server";
import { customerAuthDb } from "~/db.server";
import { now } from "~/lib/clock.server";
import { getLogger } from "~/ops/logger.server";
import { DomainError } from "~/lib/domain-error";
import { applyVerdictToSignIn, assessEvent, type SignInRiskAssessment } from "~/risk/live.server";
import { CustomerAuthRefusal, type CustomerAuthRefusalCode } from "~/wallet/customer-auth-errors";
import { refusedWhenBusy } from "~/wallet/customer-pool-busy.server";
import {
  assertNewDeviceAllowed,
  establishSession,
  recordLogin,
  knownDevice,
  type DeviceClaim,
  type LoginRefusalReason,
  type SignInOrigin,
} from "~/wallet/customer-auth-device.server";
import { isOverloaded } from "~/db/transient-errors";
import {
  accountKey,
  claimTry,
  giveTriesBackWhenFree,
  releaseTry,
  sourceKey,
  SOURCE_BLOCK_MS,
  SOURCE_FAILURE_LIMIT,
  type SignInClaim,
} from "~/wallet/customer-sign-in-limits.server";
import { startChallenge } from "~/wallet/customer-auth-two-factor.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";

export {
  FAILURE_WINDOW_MS,
  MAX_FAILURES_IN_WINDOW,
  SOURCE_FAILURE_LIMIT,
} from "~/wallet/customer-sign-in-limits.server";
const MAX_PASSWORD_LENGTH = 128;
const ANONYMOUS: Actor = { kind: "anonymous" };
const { prisma: db } = customerAuthDb;

export interface CustomerSignInInput {
  /** The member number (display ID, e.g. W-00012345) or the email on file. */
  identifier: string;
  password: string;
  device: DeviceClaim;
  ip?: string | null;
  country?: string | null;
}

export type CustomerSignInResult =
  | { status: "SIGNED_IN"; customerId: string; sessionToken: string; expiresAt: Date; deviceId: string }
  | { status: "TWO_FACTOR_REQUIRED"; customerId: string; challengeToken: string; expiresAt: Date }
  | {
      status: "TWO_FACTOR_ENROLLMENT_REQUIRED";
      customerId: string;
      challengeToken: string;
      expiresAt: Date;
      totpKeyUri: string;
      manualKey: string;
    };

const FINGERPRINT = /^[A-Za-z0-9._:-]{8,200}$/;
const PLATFORMS = new Set(["ios", "android"]);

export function validateDeviceClaim(device: DeviceClaim): DeviceClaim {
  if (!device || typeof device.fingerprint !== "string" || !FINGERPRINT.test(device.fingerprint)) {
    throw new DomainError("INVALID_DEVICE", "The app did not send a valid device identifier.", 400);
  }
  if (!PLATFORMS.has(device.platform)) {
    throw new DomainError("INVALID_DEVICE", "The app did not send a supported platform (ios or android).", 400);
  }
  const model = typeof device.model === "string" ? device.model.slice(0, 100) : null;
  return { fingerprint: device.fingerprint, platform: device.platform, model };
}

export function signInOrigin(ip: string | null | undefined, country: string | null | undefined): SignInOrigin {
  return {
    ip: typeof ip === "string" && ip.length > 0 ? ip.slice(0, 64) : null,
    country: typeof country === "string" && /^[A-Z]{2}$/.test(country) ? country : "ZZ",
  };
}

/** Exactly one customer by member number or email, else null (an ambiguous email signs nobody in). */
async function findCustomerByIdentifier(identifier: string) {
  const trimmed = typeof identifier === "string" ? identifier.trim() : "";
  if (trimmed.length === 0 || trimmed.length > 320) return null;
  const select = { id: true, passwordHash: true, mustChangePassword: true } as const;
  if (!trimmed.includes("@")) return db.customer.findUnique({ where: { displayId: trimmed }, select });
  const matches = await db.customer.findMany({
    where: { email: { equals: trimmed, mode: "insensitive" } },
    select,
    take: 2,
  });
  return matches.length === 1 ? matches[0]! : null;
}

/** The login_event of a refusal thrown out of the sign-in transaction (which rolled back), in its own transaction. */
async function recordRefusedLogin(
  customerId: string,
  device: DeviceClaim,
  origin: SignInOrigin,
  reason?: LoginRefusalReason,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const known = await knownDevice(tx, customerId, device.fingerprint);
    await recordLogin(tx, {
      customerId,
      deviceId: known?.id ?? null,
      origin,
      success: false,
      newDevice: !known,
      at: now(),
      reason,
    });
  });
}

/** The audit row of a source going over its limit: one per block, whatever account (or nobody) its last try named. */
async function auditSourceBlocked(origin: SignInOrigin, claim: SignInClaim): Promise<void> {
  await performAction(
    { actor: ANONYMOUS, origin: { ip: origin.ip, userAgent: null, requestId: null } },
    { action: "customer.sign-in.source-blocked", permission: null, targetType: "source", targetId: claim.key },
    async () => ({
      result: undefined,
      after: { source: claim.key, failures: SOURCE_FAILURE_LIMIT, blockedMinutes: SOURCE_BLOCK_MS / 60_000 },
    }),
    customerAuthDb,
  );
}

type Decision = { refusal: CustomerAuthRefusalCode } | { result: CustomerSignInResult };

/**
 * Signs a customer in. Until the password has been checked, an identifier that names nobody is answered exactly as
 * one that names an account: the same tries are counted under the same limits, the same argon2 verification runs once
 * (against a dummy hash), and the refusals have the same code, message and status (ADR 079).
 */
export function signInCustomer(input: CustomerSignInInput): Promise<CustomerSignInResult> {
  return refusedWhenBusy(() => signInOnTheCustomersPool(input));
}

async function signInOnTheCustomersPool(input: CustomerSignInInput): Promise<CustomerSignInResult> {
  const device = validateDeviceClaim(input.device);
  const origin = signInOrigin(input.ip, input.country);
  const password = typeof input.password === "string" ? input.password.slice(0, MAX_PASSWORD_LENGTH + 1) : "";
  const found = await findCustomerByIdentifier(input.identifier);
  const claimedAt = now();

  // Tries still counted against the source and the account: given back if the request ends "busy" (ADR 114).
  const counted: SignInClaim[] = [];
  try {
    return await decideSignIn(input, { device, origin, password, found, claimedAt, counted });
  } catch (error) {
    if (isOverloaded(error) && counted.length > 0) giveTriesBackWhenFree(db, counted);
    throw error;
  }
}

interface SignInAttempt {
  device: DeviceClaim;
  origin: SignInOrigin;
  password: string;
  found: Awaited<ReturnType<typeof findCustomerByIdentifier>>;
  claimedAt: Date;
  counted: SignInClaim[];
}

async function decideSignIn(input: CustomerSignInInput, attempt: SignInAttempt): Promise<CustomerSignInResult> {
  const { device, origin, password, found, claimedAt, counted } = attempt;
  const source = await claimTry(db, "source", sourceKey(origin.ip), claimedAt);
  if (source.refused) {
    if (source.blockStarted) await auditSourceBlocked(origin, source);
    // The console's sign-in signals see which accounts a blocked source keeps naming. Not awaited: the answer must not
    // come later for a name that exists than for one that does not; the row follows it.
    if (found) {
      void recordRefusedLogin(found.id, device, origin, "SOURCE_LIMITED").catch((error: unknown) =>
        getLogger().error({ err: error }, "a source-limited customer sign-in could not be recorded"),
      );
    }
    throw new CustomerAuthRefusal("TOO_MANY_ATTEMPTS");
  }
  counted.push(source);
  const identifier = typeof input.identifier === "string" ? input.identifier : "";
  const account = await claimTry(
    db,
    "account",
    accountKey(found ? { customerId: found.id } : { identifier }),
    claimedAt,
  );
  if (account.refused) throw new CustomerAuthRefusal("TOO_MANY_ATTEMPTS");
  counted.push(account);

  // argon2 (~80 ms) runs outside the transaction; the transaction then checks the hash is still the one verified.
  const passwordOk =
    found?.passwordHash && password.length <= MAX_PASSWORD_LENGTH
      ? await verifyPassword(found.passwordHash, password)
      : await verifyAgainstDummyHash(password);
  // Both claims stay counted: an unknown account is a failure like a wrong password.
  if (!found) throw new CustomerAuthRefusal("INVALID_CREDENTIALS");
  if (!passwordOk) {
    // A wrong password is answered now, its login_event row written after: awaiting that write transaction made an
    // account that exists answer later than one that does not. Must-change is still answered whatever was typed.
    void recordRefusedLogin(found.id, device, origin).catch((error: unknown) =>
      getLogger().error({ err: error }, "a refused customer sign-in could not be recorded"),
    );
    throw new CustomerAuthRefusal(found.mustChangePassword ? "PASSWORD_RESET_REQUIRED" : "INVALID_CREDENTIALS");
  }
  // A right password is no failure of the source, whatever is refused next (a kill switch, a risk rule).
  await releaseTry(db, source);
  counted.splice(counted.indexOf(source), 1);

  const decision = await db
    .$transaction(async (tx): Promise<Decision> => {
      const at = now();
      // FOR SHARE: a forced reset (FOR UPDATE on this row) either committed before us, or waits for us and then
      // revokes the session we create.
      await tx.$queryRaw`SELECT id FROM customer WHERE id = ${found.id}::uuid FOR SHARE`;
      const customer = await tx.customer.findUniqueOrThrow({
        where: { id: found.id },
        select: {
          id: true,
          status: true,
          passwordHash: true,
          mustChangePassword: true,
          mustEnrollTwoFactor: true,
          twoFactorEnrolled: true,
          totpCredential: { select: { customerId: true } },
        },
      });
      const known = await knownDevice(tx, customer.id, device.fingerprint);
      const refuse = async (refusal: CustomerAuthRefusalCode): Promise<Decision> => {
        await recordLogin(tx, {
          customerId: customer.id,
          deviceId: known?.id ?? null,
          origin,
          success: false,
          newDevice: !known,
          at,
        });
        return { refusal };
      };

      // Order matters: must-change is answered before the password's correctness could show.
      if (customer.mustChangePassword) return refuse("PASSWORD_RESET_REQUIRED");
      if (!passwordOk || customer.passwordHash !== found.passwordHash) return refuse("INVALID_CREDENTIALS");
      if (customer.status === "CLOSED") return refuse("ACCOUNT_CLOSED");
      // A refusal here is thrown, not returned: a switch read that timed out has aborted this transaction.
      if (!known) await assertNewDeviceAllowed(tx);
      let risk: SignInRiskAssessment;
      try {
        risk = await assessEvent(tx, {
          kind: "SIGN_IN" as const,
          customerId: customer.id,
          ip: origin.ip ?? "unknown",
          country: origin.country,
          fingerprint: device.fingerprint,
          deviceFirstSeenAt: known?.firstSeenAt ?? null,
          at,
        });
      } catch {
        // Thrown, not returned: a failed read has aborted this transaction.
        throw new CustomerAuthRefusal("SIGN_IN_CHECKS_UNAVAILABLE");
      }
      // A step-up needs nothing more here: a customer with an authenticator is always challenged below.
      if ((await applyVerdictToSignIn(tx, risk, Boolean(customer.totpCredential))) === "REFUSE") {
        return refuse("SIGN_IN_DECLINED");
      }

      // Marked enrolled but with no secret on file (imported data): enrol again rather than skip the second factor.
      if (customer.totpCredential || customer.mustEnrollTwoFactor || customer.twoFactorEnrolled) {
        const kind = customer.totpCredential ? "VERIFY_TWO_FACTOR" : "ENROLL_TWO_FACTOR";
        return { result: await startChallenge(tx, { customerId: customer.id, kind, device, origin, at }) };
      }
      const session = await establishSession(tx, { customerId: customer.id, device, origin, newDevice: !known, at });
      return {
        result: {
          status: "SIGNED_IN",
          customerId: customer.id,
          sessionToken: session.token,
          expiresAt: session.expiresAt,
          deviceId: session.deviceId,
        },
      };
    }, WALLET_TRANSACTION_OPTIONS)
    .catch(async (error: unknown) => {
      if (error instanceof CustomerAuthRefusal) await recordRefusedLogin(found.id, device, origin);
      throw error;
    });

  // The refusal's login_event row is committed above; only now is the customer told.
  if ("refusal" in decision) throw new CustomerAuthRefusal(decision.refusal);
  // A challenge or a session: the account's try was no failure (a wrong code at the second step counts on its own).
  // It is committed: a give-back refused for want of a connection is made later, never answered as "busy".
  counted.length = 0;
  await releaseTry(db, account).catch((error: unknown) => {
    if (!isOverloaded(error)) throw error;
    giveTriesBackWhenFree(db, [account]);
  });
  return decision.result;
}

/** Sets a customer's password (account creation, tests, the simulator); the reset flow uses it too. */
export async function setCustomerPasswordHash(tx: DbTx, customerId: string, passwordHash: string): Promise<void> {
  await tx.customer.update({ where: { id: customerId }, data: { passwordHash } });
}

/**
 * The customer password policy: the console's (length, not a well-known password, not the email). A message key with
 * its values (messageWithValues): the page that asked shows it in its reader's language.
 */
export function customerPasswordProblem(password: string, email?: string): string | null {
  if (typeof password !== "string") return "recovery:validation.enterNewPassword";
  const problem = passwordProblem(password, email);
  return problem ? passwordProblemMessage(problem) : null;
}

export async function hashCustomerPassword(password: string): Promise<string> {
  return hashPassword(password);
}
