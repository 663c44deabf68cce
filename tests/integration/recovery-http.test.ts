// The recovery flow over HTTP, as an agent and a customer would use it: the agent reviews the contact
// history, records an identity check, restores the hijacked email and forces a reset from the recovery page; the
// outbox delivers the mail to a real SMTP server (the restored address only); the link in that mail works exactly
// once on the reset page. Tokens and links never reach the audit log or the console. Needs `npx remix build`.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { translateMessage } from "~/i18n/translate.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import type { OutboxWorker } from "~/notify/outbox-worker.server";
import { RESET_TOKEN_LIFETIME_MS } from "~/recovery/reset-token.server";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { createClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { startTestWorker } from "../support/notify-fixtures";
import { SmtpSink, waitFor, type SinkMail } from "../support/smtp-sink";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";
import {
  allAuditText,
  BIRTH_DATE,
  CARD_LAST4,
  createRecoveryCustomer,
  hijackEmail,
  LAST_TOP_UP_YEN,
  latestResetLink,
  NEW_PASSWORD,
  ORIGINAL_PASSWORD,
} from "./recovery-fixtures";

let app: TestHttpApp;
let sink: SmtpSink;
let worker: OutboxWorker;
let agent: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  sink = await SmtpSink.start();
  worker = startTestWorker(sink);
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
});
afterAll(async () => {
  await worker.stop();
  await sink.stop();
  await app.close();
});

const recoveryPath = (customerId: string) => `/accounts/${customerId}/recovery`;
const DAY = 24 * 60 * 60 * 1000;

function post(client: StaffClient, customerId: string, form: Record<string, string>) {
  return client.post(recoveryPath(customerId), form);
}

function mailsTo(address: string): SinkMail[] {
  return sink.received.filter((mail) => mail.envelopeTo.includes(address));
}

function linkIn(mail: SinkMail): URL {
  const match = mail.parsed.text?.match(/https?:\/\/\S+\/reset-password\?\S+/);
  if (!match) throw new Error("no reset link in the mail");
  return new URL(match[0]);
}

describe("recovery over HTTP", () => {
  it("an agent restores a hijacked email and forces a reset; the mailed link works exactly once", async () => {
    const output: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(" "))),
    );
    try {
      const customer = await createRecoveryCustomer();
      const hijack = await hijackEmail(customer);

      const page = await agent.get(recoveryPath(customer.id));
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(hijack.attackerEmail);
      // The phone in the form callers read out, as on the account view (+819012345678 → 090-1234-5678).
      const { phone } = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
      expect(html).toContain(`090-${phone.slice(5, 9)}-${phone.slice(9)}`);
      expect(html).toContain('data-testid="email-under-review"');
      expect(html).toContain("last known-good");

      // Containment first: sessions end at once, but no link goes to the attacker's address.
      const held = await post(agent, customer.id, { intent: "force-reset", reason: "takeover reported by phone" });
      expect(held.status).toBe(302);
      expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(0);

      const check = await post(agent, customer.id, {
        intent: "identity-check",
        birthDate: BIRTH_DATE,
        lastTopUpYen: String(LAST_TOP_UP_YEN),
        cardLast4: CARD_LAST4,
      });
      expect(check.status).toBe(302);
      // The facts above are on the agent's own screen: the caller must also read back a code sent to the address the
      // customer had before the takeover (never to the attacker's).
      const send = await post(agent, customer.id, { intent: "send-code", channel: "EMAIL" });
      expect(send.status).toBe(302);
      const codeMail = await waitFor("the code mail", () =>
        mailsTo(customer.email).find((m) => m.parsed.subject === "Your verification code"),
      );
      const code = codeMail!.parsed.text!.match(/\b(\d{6})\b/)![1]!;
      const wrong = await post(agent, customer.id, {
        intent: "verify-code",
        code: String((Number(code) + 1) % 1_000_000).padStart(6, "0"),
      });
      expect(wrong.status).toBe(422);
      expect(await wrong.text()).toContain("That is not the code. 4 attempts left.");
      expect((await post(agent, customer.id, { intent: "verify-code", code })).status).toBe(302);
      const restore = await post(agent, customer.id, {
        intent: "restore",
        formKey: "restore-EMAIL",
        contactChangeId: hijack.changeId,
        expectedCurrent: hijack.attackerEmail,
        reason: "caller passed the identity check; attacker moved the email",
      });
      expect(restore.status).toBe(302);
      const reset = await post(agent, customer.id, {
        intent: "force-reset",
        requireTwoFactor: "on",
        reason: "send the link to the restored address",
      });
      expect(reset.status).toBe(302);

      const mail = await waitFor("the reset mail", () =>
        mailsTo(customer.email).find((m) => m.parsed.subject === "Set a new password for your account"),
      );
      expect(mail!.parsed.subject).toBe("Set a new password for your account");
      expect(mailsTo(hijack.attackerEmail)).toHaveLength(0);
      expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
      const link = linkIn(mail!);
      const path = link.pathname + link.search;

      const customerBrowser = createClient(app);
      const form = await customerBrowser.get(path);
      expect(form.status).toBe(200);
      expect(form.headers.get("cache-control")).toContain("no-store");
      expect(form.headers.get("referrer-policy")).toBe("same-origin");
      expect(await form.text()).toContain("Set a new password");

      const done = await customerBrowser.post(path, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("Your password has been changed");

      const again = await customerBrowser.post(path, {
        password: "another new passphrase 99",
        confirmPassword: "another new passphrase 99",
      });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain("already been used");
      expect(await (await customerBrowser.get(path)).text()).toContain("already been used");

      // The new password works (2FA enrolment required next), the old one does not.
      const device = customer.device;
      await expect(
        signInCustomer({ identifier: customer.displayId, password: ORIGINAL_PASSWORD, device }),
      ).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
      expect((await signInCustomer({ identifier: customer.displayId, password: NEW_PASSWORD, device })).status).toBe(
        "TWO_FACTOR_ENROLLMENT_REQUIRED",
      );

      const token = link.searchParams.get("token")!;
      const audit = await allAuditText();
      expect(audit).not.toContain(token);
      expect(audit).not.toContain(link.toString());
      const logged = output.join("\n");
      expect(logged).not.toContain(token);
      expect(audit).not.toContain(`"${code}"`);
      expect(logged).not.toContain(code);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("keeping the attacker-set email takes a second security lead at /approvals; until then no link goes there", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer); // the caller says this change was theirs
    await post(agent, customer.id, {
      intent: "identity-check",
      birthDate: BIRTH_DATE,
      cardLast4: CARD_LAST4,
    });
    // Knowledge alone: the request is refused with a clear message.
    const early = await post(agent, customer.id, {
      intent: "keep",
      field: "EMAIL",
      expectedCurrent: hijack.attackerEmail,
      reason: "caller says they moved the email",
    });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("read back a code");

    await post(agent, customer.id, { intent: "identity-check", birthDate: BIRTH_DATE, cardLast4: CARD_LAST4 });
    await post(agent, customer.id, { intent: "send-code", channel: "EMAIL" });
    const codeMail = await waitFor("the code mail", () =>
      mailsTo(customer.email).find((m) => m.parsed.subject === "Your verification code"),
    );
    const code = codeMail!.parsed.text!.match(/\b(\d{6})\b/)![1]!;
    expect((await post(agent, customer.id, { intent: "verify-code", code })).status).toBe(302);
    const asked = await post(agent, customer.id, {
      intent: "keep",
      field: "EMAIL",
      expectedCurrent: hijack.attackerEmail,
      reason: "caller says they moved the email",
    });
    expect(asked.status).toBe(302);
    const request = await prisma.contactKeepRequest.findFirstOrThrow({ where: { customerId: customer.id } });

    // The agent cannot open the queue; a lead must step up; then the link may go to the kept address.
    expect(
      (await agent.post("/approvals", { requestId: request.id, decision: "approve", reason: "fine by me" })).status,
    ).toBe(403);
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    for (const hostile of [{ reason: "a\u0000bcdef" }, { reason: "x".repeat(100_000) }, { requestId: "'; DROP" }]) {
      const refused = await lead.post("/approvals", {
        requestId: request.id,
        decision: "reject",
        reason: "ok reason",
        ...hostile,
      });
      expect(refused.status).toBe(400);
    }
    expect((await prisma.contactKeepRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("PENDING");
    const queue = await lead.get("/approvals");
    expect(await queue.text()).toContain(hijack.attackerEmail);
    const noStepUp = await lead.post("/approvals", {
      requestId: request.id,
      decision: "approve",
      reason: "caller verified",
    });
    expect(noStepUp.status).toBe(302);
    expect(noStepUp.headers.get("location")).toContain("/step-up");
    await stepUp(lead, "/approvals");
    const approved = await lead.post("/approvals", {
      requestId: request.id,
      decision: "approve",
      reason: "code read back from the old address",
    });
    expect(approved.status).toBe(302);
    expect(await prisma.contactKeepRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "APPROVED",
      decidedById: lead.staff.id,
    });
    await post(agent, customer.id, { intent: "force-reset", reason: "link to the kept address" });
    expect((await latestResetLink(customer.id)).recipient).toBe(hijack.attackerEmail);
  });

  it("proposes dropping an authenticator enrolled inside the suspect window, in Japanese; an older one is not ticked", async () => {
    const japaneseAgent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const checkbox = (html: string) => html.match(/<input[^>]*name="requireTwoFactor"[^>]*>/)?.[0] ?? "";
    const enrolledDaysAgo = async (days: number) => {
      const customer = await createRecoveryCustomer();
      await prisma.customerTotpCredential.create({
        data: { customerId: customer.id, secretEncrypted: "x:y:z", enrolledAt: new Date(now().getTime() - days * DAY) },
      });
      await prisma.customer.update({ where: { id: customer.id }, data: { twoFactorEnrolled: true } });
      return (await japaneseAgent.get(recoveryPath(customer.id))).text();
    };

    const recent = await enrolledDaysAgo(2);
    expect(checkbox(recent)).toMatch(/\schecked/);
    expect(recent).toContain('data-testid="suspect-authenticator"');
    expect(recent).toContain("攻撃者が登録した可能性");

    // Enrolled long before anything suspect: the owner's, most likely; the agent may still tick it.
    const old = await enrolledDaysAgo(200);
    expect(checkbox(old)).not.toBe("");
    expect(checkbox(old)).not.toMatch(/\schecked/);
    expect(old).not.toContain('data-testid="suspect-authenticator"');
  });

  it("shows text messages in the development SMS sink to staff who may view the mail sink", async () => {
    const customer = await createRecoveryCustomer();
    const phone = (await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).phone;
    expect((await post(agent, customer.id, { intent: "send-code", channel: "PHONE" })).status).toBe(302);
    const page = await agent.get("/dev/sms");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(phone);
    expect(html).toMatch(/本人確認コード \d{6}/);
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    expect((await compliance.get("/dev/sms")).status).toBe(403);
  });

  it("bad input gets a clear message on the page and changes nothing", async () => {
    const customer = await createRecoveryCustomer();
    const hijack = await hijackEmail(customer);
    const noCheck = await post(agent, customer.id, {
      intent: "restore",
      formKey: "restore-EMAIL",
      contactChangeId: hijack.changeId,
      expectedCurrent: hijack.attackerEmail,
      reason: "restore without asking anything",
    });
    expect(noCheck.status).toBe(409);
    expect(await noCheck.text()).toContain("Record a passed identity check with the caller first");
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(hijack.attackerEmail);

    const noReason = await post(agent, customer.id, { intent: "force-reset", reason: "" });
    expect(noReason.status).toBe(400);
    expect(await prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } })).toBe(2);

    const closed = await createRecoveryCustomer({ status: "CLOSED" });
    const refused = await post(agent, closed.id, { intent: "force-reset", reason: "closed account attempt" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("closed account cannot be reset");

    const oneFact = await post(agent, customer.id, { intent: "identity-check", birthDate: BIRTH_DATE });
    expect(oneFact.status).toBe(400);
    expect(await prisma.identityCheck.count({ where: { customerId: customer.id } })).toBe(0);

    expect((await agent.get(recoveryPath("00000000-0000-4000-8000-000000000000"))).status).toBe(404);
    expect((await agent.get(recoveryPath("not-a-uuid"))).status).toBe(404);
  });

  it("refuses a reason the shared reader refuses with the same message as the account view, in both languages", async () => {
    for (const language of ["en", "ja"] as const) {
      const member = await signIn(app, await createStaff({ role: "AGENT", language }));
      const customer = await createRecoveryCustomer();
      const liveSessions = () => prisma.customerSession.count({ where: { customerId: customer.id, revokedAt: null } });
      const live = await liveSessions();
      expect(live).toBeGreaterThan(0);
      // A tab has no place in a one-line reason (it splits a column of the audit export); the account view refuses it.
      const reason = "caller\tconfirmed the takeover";
      const refusal = translateMessage(language, "validation:controlCharacters");
      const elsewhere = await member.post(`/accounts/${customer.id}`, {
        intent: "status",
        formKey: "status",
        change: "freeze",
        reason,
      });
      expect(elsewhere.status).toBe(400);
      expect(await elsewhere.text()).toContain(refusal);
      const reset = await post(member, customer.id, { intent: "force-reset", formKey: "force-reset", reason });
      expect(reset.status).toBe(400);
      expect(await reset.text()).toContain(refusal);
      const keep = await post(member, customer.id, {
        intent: "keep",
        formKey: "keep",
        field: "EMAIL",
        expectedCurrent: customer.email,
        reason: "too\u2028long ago",
      });
      expect(keep.status).toBe(400);
      expect(await keep.text()).toContain(translateMessage(language, "validation:lineBreak"));
      const blank = await post(member, customer.id, { intent: "force-reset", formKey: "force-reset", reason: "" });
      expect(blank.status).toBe(400);
      expect(await blank.text()).toContain(translateMessage(language, "recovery:validation.sayWhy"));
      // Nothing changed: the customer's sessions are live and no link was made.
      expect(await liveSessions()).toBe(live);
      expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(0);
      expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe("ACTIVE");
    }
    expect(translateMessage("ja", "recovery:validation.sayWhy")).not.toBe(
      translateMessage("en", "recovery:validation.sayWhy"),
    );
  });

  it("staff without the permission are refused (403), and so is anyone signed out", async () => {
    const customer = await createRecoveryCustomer();
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    expect((await compliance.get(recoveryPath(customer.id))).status).toBe(403);
    const refused = await compliance.post(recoveryPath(customer.id), { intent: "force-reset", reason: "not allowed" });
    expect(refused.status).toBe(403);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword).toBe(false);
    const anonymous = await createClient(app).get(recoveryPath(customer.id));
    expect(anonymous.status).toBe(302);
  });

  it("the reset page explains forged, expired and other accounts' links without a 500", async () => {
    const customer = await createRecoveryCustomer();
    const other = await createRecoveryCustomer();
    await post(agent, customer.id, { intent: "force-reset", reason: "expiry check over HTTP" });
    const { token } = await latestResetLink(customer.id);
    const browser = createClient(app);

    const forged = await browser.get(`/reset-password?account=${customer.displayId}&token=${"x".repeat(43)}`);
    expect(forged.status).toBe(200);
    expect(await forged.text()).toContain("not valid");
    expect(await (await browser.get("/reset-password")).text()).toContain("not valid");
    const wrong = await browser.post(`/reset-password?account=${other.displayId}&token=${token}`, {
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("different account");
    // An account no display ID can be (a NUL byte in the link) names no account: explained the same way, not a 500.
    const nul = await browser.get(`/reset-password?account=a%00b&token=${token}`);
    expect(nul.status).toBe(200);
    expect(await nul.text()).toContain("different account");
    const nulRedeem = await browser.post(`/reset-password?account=a%00b&token=${token}`, {
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(nulRedeem.status).toBe(403);

    advanceClock(RESET_TOKEN_LIFETIME_MS + 1000);
    try {
      const expired = await browser.get(`/reset-password?account=${customer.displayId}&token=${token}`);
      expect(await expired.text()).toMatch(/expired at .* JST/);
      const late = await browser.post(`/reset-password?account=${customer.displayId}&token=${token}`, {
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(late.status).toBe(409);
    } finally {
      resetClock();
    }
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).mustChangePassword).toBe(true);
  });
});
