// Data for the notification tests: an incident, customers with cases, and a worker wired to a sink.
// Everything is unique per call, so tests sharing a file's database never collide.
import { randomBytes } from "node:crypto";
import { prisma } from "~/db.server";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from "~/notify/outbox-worker.server";
import type { SmtpSink } from "./smtp-sink";

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
    backoffMaxMs: 200,
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
