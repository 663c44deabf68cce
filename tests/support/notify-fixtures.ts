// Data for the notification tests: an incident, customers with cases, and a worker wired to a sink.
// Everything is unique per call, so tests sharing a file's database never collide.
import { randomBytes, randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "~/notify/outbox-worker.server";
import { enqueueStaffMail } from "~/notify/staff-mail.server";
import { waitFor, type SmtpSink } from "./smtp-sink";
import { createStaff } from "./staff";

export async function createIncident(status: "OPEN" | "CONTAINED" | "RESOLVED" = "OPEN") {
  return prisma.incident.create({
    data: {
      code: `INC-${randomBytes(4).toString("hex").toUpperCase()}`,
      title: "7pay replay (test)",
      summary: "test incident",
      status,
      openedAt: new Date("2019-07-01T00:00:00+09:00"),
    },
  });
}

export interface CustomerOptions {
  name?: string;
  email?: string;
  emailVerified?: boolean;
  preferredLanguage?: "ja" | "en";
  caseStatus?: "OPEN" | "CONTAINED" | "REMEDIATED" | "NOTIFIED" | "CLOSED";
}

export async function createVictim(incidentId: string, options: CustomerOptions = {}) {
  const suffix = randomBytes(5).toString("hex");
  const customer = await prisma.customer.create({
    data: {
      displayId: `W-T${suffix}`,
      name: options.name ?? "山田 花子",
      nameKana: "ヤマダ ハナコ",
      email: options.email ?? `victim-${suffix}@wallet-test.example`,
      emailVerified: options.emailVerified ?? true,
      phone: `+8190${String(parseInt(suffix.slice(0, 8), 16) % 100_000_000).padStart(8, "0")}`,
      birthDate: new Date("1985-04-01"),
      preferredLanguage: options.preferredLanguage ?? "ja",
    },
  });
  await prisma.incidentCase.create({
    data: { incidentId, customerId: customer.id, status: options.caseStatus ?? "OPEN" },
  });
  return customer;
}

export async function createVictims(incidentId: string, count: number, options: CustomerOptions = {}) {
  const victims = [];
  for (let i = 0; i < count; i++) victims.push(await createVictim(incidentId, options));
  return victims;
}

export const QUIET_LOGGER = { info: () => undefined, warn: () => undefined };

/** The longest a test worker puts a message back before trying it again. */
const TEST_BACKOFF_MAX_MS = 200;

/** A worker delivering to `sink`, with test-sized delays (milliseconds, not minutes). */
export function startTestWorker(sink: SmtpSink, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  const concurrency = options.concurrency ?? 4;
  const transport = createPooledTransport(
    { host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true },
    { maxConnections: concurrency },
  );
  return startOutboxWorker({
    transport,
    ownsTransport: true,
    concurrency,
    pollIntervalMs: 20,
    backoffBaseMs: 20,
    backoffMaxMs: TEST_BACKOFF_MAX_MS,
    breakerBaseMs: 20,
    breakerMaxMs: 200,
    recordRetryDelaysMs: [10],
    logger: QUIET_LOGGER,
    ...options,
  });
}

/** Messages of an incident by status. */
export async function statusCounts(incidentId: string): Promise<Record<string, number>> {
  const groups = await prisma.outboundMessage.groupBy({
    by: ["status"],
    where: { incidentId },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

export async function settled(incidentId: string): Promise<boolean> {
  const counts = await statusCounts(incidentId);
  return (counts.QUEUED ?? 0) + (counts.SENDING ?? 0) === 0;
}

/**
 * Proof that the outbox worker has had its chance to send again whatever it should not (a message in doubt), instead
 * of a sleep that a loaded machine outlasts. Queues a marker below every template's priority and due only after the
 * longest backoff a test worker schedules, then waits until the worker has settled it: the worker claims due messages
 * by priority and then due time, so any message it had put back in the queue was claimed (its attempts counted) first.
 */
export async function untilTheWorkerHasMovedOn(): Promise<void> {
  const staff = await createStaff({ role: "SECURITY_LEAD" });
  const [marker] = await prisma.$transaction(async (tx) => {
    const outcomes = await enqueueStaffMail(tx, {
      template: "test-marker",
      subject: randomUUID(),
      recipients: [{ id: staff.id, email: staff.email, language: "en" }],
      render: () => ({ subject: "marker", text: "marker", html: "<p>marker</p>" }),
      requestedBy: "test",
      priority: -1,
    });
    // Due in the same transaction that queues it, so no worker can claim it earlier.
    await tx.outboundMessage.update({
      where: { id: outcomes[0]!.messageId },
      data: { nextAttemptAt: new Date(now().getTime() + TEST_BACKOFF_MAX_MS) },
    });
    return outcomes;
  });
  await waitFor("a later message to be settled", async () => {
    const { status } = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: marker!.messageId } });
    return status !== "QUEUED" && status !== "SENDING";
  });
}
