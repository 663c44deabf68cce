// The cast of `npm run simulate:recovery`: a customer with a password, a trusted phone and a card and top-up from
// before the takeover; a bystander; an attacker's device and drop mailbox; and the agent the console would be (the
// demo agent when it exists). Everything is new per run, so runs never collide with each other or the replay.
import { randomBytes, randomUUID } from "node:crypto";
import type { ActionContext } from "~/audit/perform-action.server";
import type { Db } from "~/db.server";
import { postLedgerTransaction, systemAccountId, walletAccountCode } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { hashCustomerPassword } from "~/wallet/customer-auth.server";

const DAY = 24 * 60 * 60 * 1000;

export const STORY = {
  ownerPassword: "sakura-mochi on a rainy tuesday",
  newPassword: "a fresh passphrase after 7pay",
  birthDate: "1987-07-01",
  lastTopUpYen: 3_000,
  cardLast4: "4242",
} as const;

export interface StoryCustomer {
  id: string;
  displayId: string;
  email: string;
  device: { fingerprint: string; platform: string; model: string };
}

export async function createStoryCustomer(prisma: Db, label: string): Promise<StoryCustomer> {
  const suffix = randomBytes(3).toString("hex").toUpperCase();
  const displayId = `SIM-R${suffix}`;
  const email = `${label}-${suffix.toLowerCase()}@simulated.example`;
  const passwordHash = await hashCustomerPassword(STORY.ownerPassword);
  const at = now();
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: {
        displayId,
        name: label === "owner" ? "佐藤 花子" : "田中 一郎",
        nameKana: label === "owner" ? "サトウ ハナコ" : "タナカ イチロウ",
        email,
        phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
        birthDate: new Date(`${STORY.birthDate}T00:00:00Z`),
        preferredLanguage: "en",
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
        last4: STORY.cardLast4,
        addedAt: new Date(at.getTime() - 200 * DAY),
      },
    });
    await postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId: customer.id,
      amount: STORY.lastTopUpYen,
      fundingSourceId: card.id,
      channel: "CREDIT_CARD",
      occurredAt: new Date(at.getTime() - DAY),
      legs: [
        { accountId: await systemAccountId(tx, "clearing:CREDIT_CARD"), amount: -STORY.lastTopUpYen },
        { accountId: wallet.id, amount: STORY.lastTopUpYen },
      ],
    });
    // The customer's own phone, trusted long before the takeover.
    const device = { fingerprint: `sim-${label}-phone-${suffix}`, platform: "ios", model: "iPhone 8" };
    await tx.device.create({
      data: { customerId: customer.id, ...device, firstSeenAt: new Date(at.getTime() - 200 * DAY), trusted: true },
    });
    return { id: customer.id, displayId, email, device };
  });
}

/** The email moved as the wallet's contact change would have moved it, for when a live rule stopped the attacker's
 * change and the story still needs a hijacked account to recover. */
export async function moveEmail(prisma: Db, customer: StoryCustomer, to: string, deviceId: string | null) {
  return prisma.$transaction(async (tx) => {
    const change = await tx.contactChange.create({
      data: {
        customerId: customer.id,
        field: "EMAIL",
        oldValue: customer.email,
        newValue: to,
        changedAt: now(),
        source: "APP",
        ip: "192.0.2.66",
        deviceId,
        oldValueVerified: true,
      },
    });
    // The attacker "verifies" the new address: they control that mailbox.
    await tx.customer.update({ where: { id: customer.id }, data: { email: to, emailVerified: true } });
    return change.id;
  });
}

export async function agentContext(prisma: Db): Promise<{ ctx: ActionContext; name: string }> {
  const demo = await prisma.staffUser.findFirst({
    where: { role: "AGENT", disabledAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, displayName: true },
  });
  const origin = { ip: "127.0.0.1", userAgent: "firebreak simulate:recovery", requestId: `sim-${randomUUID()}` };
  if (demo) return { ctx: { actor: { kind: "staff", id: demo.id, role: "AGENT" }, origin }, name: demo.displayName };
  return {
    ctx: { actor: { kind: "staff", id: randomUUID(), role: "AGENT", email: "simulated-agent" }, origin },
    name: "a simulated agent (no AGENT staff member exists)",
  };
}

/** The reset link of the newest reset mail, read as the customer's mail client would. Never printed. */
export async function readResetLink(
  prisma: Db,
  customerId: string,
): Promise<{ token: string; account: string } | null> {
  const message = await prisma.outboundMessage.findFirst({
    where: { customerId, template: "password-reset" },
    orderBy: { createdAt: "desc" },
    select: { textBody: true },
  });
  const match = message?.textBody?.match(/https?:\/\/\S+\/reset-password\?\S+/);
  if (!match) return null;
  const url = new URL(match[0]);
  return { token: url.searchParams.get("token") ?? "", account: url.searchParams.get("account") ?? "" };
}

/** The owner reads the recovery code in their own (known-good) mailbox; null once the outbox has blanked the mail. */
export async function readRecoveryCode(prisma: Db, customerId: string): Promise<string | null> {
  const message = await prisma.outboundMessage.findFirst({
    where: { customerId, template: "recovery-code" },
    orderBy: { createdAt: "desc" },
    select: { textBody: true },
  });
  return message?.textBody?.match(/\b(\d{6})\b/)?.[1] ?? null;
}
