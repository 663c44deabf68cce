// The newest mail kinds through the outbox worker to a real SMTP server: a lead's alert mail and a member's one-time
// link are staff rows in the same outbox, and each SMTP answer does to them what it does to a customer's notice — a
// temporary refusal is retried with backoff, a permanent one fails at once with the reason, and a server that takes the
// data and then hangs or drops the connection leaves the message UNCERTAIN, never sent again on its own. The link,
// which carries a secret, is blanked once it settles or falls in doubt.
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { ALERT_MAIL_TEMPLATE } from "~/detect/lead-mail.server";
import { prisma } from "~/db.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueStaffMail } from "~/notify/staff-mail.server";
import { STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";
import { startTestWorker, untilTheWorkerHasMovedOn } from "../support/notify-fixtures";
import { sinkAndWorkerPerFile, waitFor } from "../support/smtp-sink";
import { createStaff } from "../support/staff";

const smtp = sinkAndWorkerPerFile();

async function queueStaffMail(template: string): Promise<string> {
  const staff = await createStaff({ role: "SECURITY_LEAD" });
  const [outcome] = await enqueueStaffMail(prisma, {
    template,
    subject: crypto.randomUUID(),
    recipients: [{ id: staff.id, email: staff.email, language: "en" }],
    render: () => ({ subject: "Firebreak", text: "https://console.test/invite/secret-token", html: "<p>link</p>" }),
    requestedBy: "test",
  });
  return outcome!.messageId;
}

const row = (id: string) => prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
async function settledRow(id: string) {
  await waitFor(`message ${id} settled`, async () => !["QUEUED", "SENDING"].includes((await row(id)).status));
  return row(id);
}

describe.each([ALERT_MAIL_TEMPLATE, STAFF_LINK_TEMPLATE])("staff mail %s over SMTP", (template) => {
  const secret = template === STAFF_LINK_TEMPLATE;

  it("a temporary refusal is retried with backoff and then delivered once", async () => {
    const id = await queueStaffMail(template);
    smtp.sink.failNext(2);
    smtp.worker = startTestWorker(smtp.sink);
    const message = await settledRow(id);
    expect(message).toMatchObject({ status: "SENT", attempts: 3 });
    expect(smtp.sink.countByKey(dedupeHeaderOf(message.dedupeKey))).toBe(1);
    expect(message.redactedAt !== null).toBe(secret);
  });

  it("a permanent refusal fails at once, with the server's reason", async () => {
    const id = await queueStaffMail(template);
    smtp.sink.rejectAll();
    smtp.worker = startTestWorker(smtp.sink);
    const message = await settledRow(id);
    expect(message).toMatchObject({ status: "FAILED", attempts: 1, failure: "REJECTED" });
    expect(message.lastError).toContain("554");
    expect(message.redactedAt !== null).toBe(secret);
  });

  it("a server that takes the data and then hangs leaves it UNCERTAIN, and nothing sends it again", async () => {
    const id = await queueStaffMail(template);
    let release: () => void = () => undefined;
    smtp.sink.onMessage = () => new Promise<void>((resolve) => (release = resolve));
    const transport = nodemailer.createTransport({
      pool: true,
      host: "127.0.0.1",
      port: smtp.sink.port,
      secure: false,
      ignoreTLS: true,
      maxRequeues: 0,
      socketTimeout: 500,
    });
    smtp.worker = startTestWorker(smtp.sink, { transport, ownsTransport: true });
    const message = await settledRow(id);
    release();
    smtp.sink.onMessage = null;
    expect(message).toMatchObject({ status: "UNCERTAIN", attempts: 1 });
    // The worker must not try again, not even once it has gone on to a later message.
    await untilTheWorkerHasMovedOn();
    expect(await row(id)).toMatchObject({ status: "UNCERTAIN", attempts: 1 });
    expect(smtp.sink.countByKey(dedupeHeaderOf(message.dedupeKey))).toBe(1);
    // The link may have arrived or not; it is never resent (the admin sends a new one), so it is not kept either.
    expect(message.redactedAt !== null).toBe(secret);
    expect(message.textBody === null).toBe(secret);
  });
});
