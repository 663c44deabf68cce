// Fixtures for the recovery tests (not a test file itself): a wallet customer with a password, a trusted device and a
// live session, a card and a top-up from before any trouble; an attacker's takeover of their email; the reset link as
// the outbox queued it. Unique data per call, so tests sharing a file's database never collide.
import { randomBytes } from "node:crypto";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { postLedgerTransaction, systemAccountId, walletAccountCode } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { hashCustomerPassword } from "~/wallet/customer-auth.server";
import { establishSession } from "~/wallet/customer-auth-device.server";

export const ORIGINAL_PASSWORD = "original wallet passphrase 2019";
export const NEW_PASSWORD = "a brand new passphrase after 7pay";
export const BIRTH_DATE = "1985-03-14";
export const LAST_TOP_UP_YEN = 5_000;
export const CARD_LAST4 = "4242";
const DAY = 24 * 60 * 60 * 1000;

export const CUSTOMER_ORIGIN = { ip: "203.0.113.50", userAgent: "wallet-app/7.0 (iOS)", requestId: null };

export function deviceClaim(label = "phone") {
  return { fingerprint: `fp-${label}-${randomBytes(6).toString("hex")}`, platform: "ios", model: "iPhone XS" };
}

// One argon2 hash shared by every fixture customer: hashing costs ~80 ms and tests create many customers.
let sharedHash: Promise<string> | undefined;

export interface RecoveryCustomer {
  id: string;
  displayId: string;
  email: string;
  device: ReturnType<typeof deviceClaim>;
  sessionToken: string;
}

export async function createRecoveryCustomer(
  options: { emailVerified?: boolean; status?: "ACTIVE" | "FROZEN" | "COMPROMISED" | "CLOSED"; language?: string } = {},
): Promise<RecoveryCustomer> {
  sharedHash ??= hashCustomerPassword(ORIGINAL_PASSWORD);
  const passwordHash = await sharedHash;
  const suffix = randomBytes(4).toString("hex");
  const email = `owner-${suffix}@example.com`;
  const device = deviceClaim("owner");
  const at = now();
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: {
        displayId: `R-${suffix.toUpperCase()}`,
        name: "復旧 花子",
        nameKana: "フッキュウ ハナコ",
        email,
        emailVerified: options.emailVerified ?? true,
        phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
        birthDate: new Date(`${BIRTH_DATE}T00:00:00Z`),
        status: options.status ?? "ACTIVE",
        preferredLanguage: options.language ?? "en",
        passwordHash,
      },
    });
    const wallet = await tx.ledgerAccount.create({
      data: { code: walletAccountCode(customer.id), kind: "CUSTOMER_WALLET", customerId: customer.id },
    });
    const card = await tx.fundingSource.create({
      data: {
        customerId: customer.id,
        kind: "CREDIT_CARD",
        brand: "VISA",
        last4: CARD_LAST4,
        addedAt: new Date(at.getTime() - 400 * DAY),
      },
    });
    await postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId: customer.id,
      amount: LAST_TOP_UP_YEN,
      fundingSourceId: card.id,
      channel: "CREDIT_CARD",
      occurredAt: new Date(at.getTime() - 2 * DAY),
      legs: [
        { accountId: await systemAccountId(tx, "clearing:CREDIT_CARD"), amount: -LAST_TOP_UP_YEN },
        { accountId: wallet.id, amount: LAST_TOP_UP_YEN },
      ],
    });
    const session = await establishSession(tx, {
      customerId: customer.id,
      device,
      origin: { ip: "203.0.113.50", country: "JP" },
      newDevice: true,
      at: new Date(at.getTime() - 3 * DAY),
    });
    return { id: customer.id, displayId: customer.displayId, email, device, sessionToken: session.token };
  });
}

export interface Hijack {
  attackerEmail: string;
  changeId: string;
  attackerDevice: ReturnType<typeof deviceClaim>;
  attackerSessionToken: string;
}

/**
 * The replay's takeover: an attacker signs in from a new device and moves the email to their own mailbox (which they
 * can "verify": they control it), minutes before the fraud. Their device gets a live session.
 */
export async function hijackEmail(customer: RecoveryCustomer, minutesAgo = 60): Promise<Hijack> {
  const attackerEmail = `drop-${randomBytes(4).toString("hex")}@attacker.example`;
  const attackerDevice = deviceClaim("attacker");
  const at = new Date(now().getTime() - minutesAgo * 60 * 1000);
  return prisma.$transaction(async (tx) => {
    const session = await establishSession(tx, {
      customerId: customer.id,
      device: attackerDevice,
      origin: { ip: "192.0.2.66", country: "CN" },
      newDevice: true,
      at,
    });
    const change = await tx.contactChange.create({
      data: {
        customerId: customer.id,
        field: "EMAIL",
        oldValue: customer.email,
        newValue: attackerEmail,
        changedAt: at,
        source: "APP",
        ip: "192.0.2.66",
        deviceId: session.deviceId,
        oldValueVerified: true,
      },
    });
    await tx.customer.update({ where: { id: customer.id }, data: { email: attackerEmail, emailVerified: true } });
    return { attackerEmail, changeId: change.id, attackerDevice, attackerSessionToken: session.token };
  });
}

/** The reset link of the customer's newest queued reset mail, read from the outbox row as the worker would send it. */
export async function latestResetLink(customerId: string): Promise<{ url: URL; token: string; recipient: string }> {
  const message = await prisma.outboundMessage.findFirst({
    where: { customerId, template: "password-reset" },
    orderBy: { createdAt: "desc" },
    select: { textBody: true, recipient: true },
  });
  const match = message?.textBody?.match(/https?:\/\/\S+\/reset-password\?\S+/);
  if (!message || !match) throw new Error("no reset mail queued for this customer");
  const url = new URL(match[0]);
  return { url, token: url.searchParams.get("token")!, recipient: message.recipient! };
}

/** Every audit row as text (bigints and dates included), for scanning for secrets. */
export async function allAuditText(): Promise<string> {
  const rows = await prisma.auditEvent.findMany();
  return JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/** The newest recovery code mailed to the customer, read from the outbox row as the worker would send it. */
export async function latestMailedCode(customerId: string): Promise<{ code: string; recipient: string }> {
  const message = await prisma.outboundMessage.findFirst({
    where: { customerId, template: "recovery-code" },
    orderBy: { createdAt: "desc" },
    select: { textBody: true, recipient: true },
  });
  const match = message?.textBody?.match(/\b(\d{6})\b/);
  if (!message || !match) throw new Error("no recovery code mailed to this customer");
  return { code: match[1]!, recipient: message.recipient! };
}

/** The caller (the real owner, reading their own mailbox) reads the code back to the agent, who enters it. */
export async function proveKnownGoodEmail(ctx: ActionContext, customerId: string): Promise<string> {
  const { sendRecoveryCode, verifyRecoveryCode } = await import("~/recovery/recovery-code.server");
  await sendRecoveryCode(ctx, { customerId, channel: "EMAIL" });
  const { code } = await latestMailedCode(customerId);
  return (await verifyRecoveryCode(ctx, { customerId, code })).codeId;
}

/** The caller answers the identity check as the real owner would: every fact the fixture customer has, correctly. */
export async function passIdentityCheck(ctx: ActionContext, customerId: string) {
  const { recordIdentityCheck } = await import("~/recovery/identity-check.server");
  return recordIdentityCheck(ctx, {
    customerId,
    birthDate: BIRTH_DATE,
    lastTopUpYen: LAST_TOP_UP_YEN,
    cardLast4: CARD_LAST4,
  });
}

/** The agent puts back the email `hijack` replaced, having seen the attacker's address as the current one. */
export async function restoreHijackedEmail(ctx: ActionContext, customerId: string, hijack: Hijack, reason: string) {
  const { restoreContact } = await import("~/recovery/restore-contact.server");
  return restoreContact(ctx, {
    customerId,
    contactChangeId: hijack.changeId,
    expectedCurrent: hijack.attackerEmail,
    reason,
  });
}
