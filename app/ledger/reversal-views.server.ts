// What the reversal pages show (read-only): an account's charges and the reversal form's context, a request and its
// outcome, the approvals queue.
import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { isSecuredFor, readAccountSecurity } from "~/ledger/account-secured.server";
import { listCharges, findCharge, type Charge } from "~/ledger/reversal-charges.server";
import { isUuid } from "~/lib/uuid";
import { describeDestination } from "~/ledger/reversal-destination";
import { ReversalError } from "~/ledger/reversal-errors";
import { reversalPolicy, startOfJstDay } from "~/ledger/reversal-policy.server";

/** A fresh key for a form as it renders: the submission is identified by it (idempotency). */
export function newIdempotencyKey(): string {
  return randomUUID();
}

export interface ChargeRow extends Omit<Charge, "occurredAt"> {
  occurredAt: string;
  /** A purchase whose refund the domain would refuse now: the account is active and not secured since it. */
  refundWaitsForSecuring: boolean;
}

function toRow(charge: Charge, secured: (chargedAt: Date) => boolean = () => true): ChargeRow {
  return {
    ...charge,
    occurredAt: charge.occurredAt.toISOString(),
    refundWaitsForSecuring: charge.kind === "PURCHASE" && !secured(charge.occurredAt),
  };
}

function customerNotFound(): ReversalError {
  return new ReversalError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
}

async function staffNames(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id) && isUuid(id)))];
  if (wanted.length === 0) return new Map();
  const staff = await prisma.staffUser.findMany({
    where: { id: { in: wanted } },
    select: { id: true, displayName: true },
  });
  return new Map(staff.map((s) => [s.id, s.displayName]));
}

export async function loadReverseView(input: { customerId: string; chargeId: string | null; staffId: string }) {
  if (!isUuid(input.customerId)) throw customerNotFound();
  const customer = await prisma.customer.findUnique({
    where: { id: input.customerId },
    select: { id: true, displayId: true, name: true, status: true },
  });
  if (!customer) throw customerNotFound();
  const wallet = await prisma.ledgerAccount.findUnique({
    where: { customerId: customer.id },
    select: { balance: true },
  });
  const charges = await prisma.$transaction((tx) => listCharges(tx, customer.id));
  const security = await prisma.$transaction((tx) => readAccountSecurity(tx, customer.id));
  const secured = (chargedAt: Date) => (security ? isSecuredFor(security, chargedAt) : true);
  let selected: ChargeRow | null = null;
  if (input.chargeId) {
    try {
      selected = toRow(
        await prisma.$transaction((tx) => findCharge(tx, { customerId: customer.id, transactionId: input.chargeId! })),
        secured,
      );
    } catch (error) {
      if (!(error instanceof ReversalError)) throw error;
    }
  }
  const reasons = await prisma.reversalReason.findMany({ orderBy: { sortOrder: "asc" } });
  const policy = reversalPolicy();
  const [today] = await prisma.$queryRaw<{ total: bigint | null }[]>`
    SELECT SUM(amount)::bigint AS total FROM reversal_request
     WHERE requested_by_id = ${input.staffId}::uuid AND status = 'COMPLETED' AND decided_by_id IS NULL
       AND completed_at >= ${startOfJstDay(now())}`;
  const requests = await prisma.reversalRequest.findMany({
    where: { customerId: customer.id },
    orderBy: { requestedAt: "desc" },
    take: 20,
  });
  const names = await staffNames(requests.flatMap((r) => [r.requestedById, r.decidedById]));
  return {
    customer,
    walletBalance: Number(wallet?.balance ?? 0),
    charges: charges.map((charge) => toRow(charge, secured)),
    selected,
    reasons: reasons.map((r) => ({ code: r.code, label: r.label, requiresNote: r.requiresNote })),
    policy: { ...policy, reversedTodayYen: Number(today?.total ?? 0) },
    requests: requests.map((r) => ({
      id: r.id,
      originalTransactionId: r.originalTransactionId,
      amount: r.amount,
      status: r.status,
      reasonCode: r.reasonCode,
      requestedAt: r.requestedAt.toISOString(),
      requestedBy: names.get(r.requestedById) ?? r.requestedById,
    })),
  };
}

export async function loadReversalRequest(requestId: string) {
  if (!isUuid(requestId)) return null;
  const request = await prisma.reversalRequest.findUnique({ where: { id: requestId }, include: { reason: true } });
  if (!request) return null;
  const [customer, wallet, charge, refund] = await Promise.all([
    prisma.customer.findUniqueOrThrow({
      where: { id: request.customerId },
      select: { id: true, displayId: true, name: true, status: true },
    }),
    prisma.ledgerAccount.findUnique({ where: { customerId: request.customerId }, select: { balance: true } }),
    prisma.$transaction((tx) =>
      findCharge(tx, { customerId: request.customerId, transactionId: request.originalTransactionId }),
    ),
    request.reversalTransactionId
      ? prisma.refundInstruction.findUnique({ where: { reversalTransactionId: request.reversalTransactionId } })
      : null,
  ]);
  const names = await staffNames([request.requestedById, request.decidedById]);
  const destination = describeDestination(charge, request.amount);
  return {
    request: {
      id: request.id,
      status: request.status,
      amount: request.amount,
      reasonCode: request.reasonCode,
      reasonLabel: request.reason.label,
      note: request.note,
      approvalRule: request.approvalRule,
      requestedById: request.requestedById,
      requestedBy: names.get(request.requestedById) ?? request.requestedById,
      requestedAt: request.requestedAt.toISOString(),
      decidedBy: request.decidedById ? (names.get(request.decidedById) ?? request.decidedById) : null,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      decisionReason: request.decisionReason,
      reversalTransactionId: request.reversalTransactionId,
      completedAt: request.completedAt?.toISOString() ?? null,
    },
    customer,
    walletBalance: Number(wallet?.balance ?? 0),
    charge: toRow(charge),
    destination,
    refund: refund ? { id: refund.id, status: refund.status, amount: refund.amount, channel: refund.channel } : null,
  };
}

export async function listPendingApprovals() {
  const requests = await prisma.reversalRequest.findMany({
    where: { status: "PENDING_APPROVAL" },
    orderBy: { requestedAt: "asc" },
    take: 200,
  });
  const customers = await prisma.customer.findMany({
    where: { id: { in: [...new Set(requests.map((r) => r.customerId))] } },
    select: { id: true, displayId: true, name: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const names = await staffNames(requests.map((r) => r.requestedById));
  return requests.map((r) => ({
    id: r.id,
    amount: r.amount,
    reasonCode: r.reasonCode,
    approvalRule: r.approvalRule,
    requestedAt: r.requestedAt.toISOString(),
    requestedById: r.requestedById,
    requestedBy: names.get(r.requestedById) ?? r.requestedById,
    customer: byId.get(r.customerId) ?? { id: r.customerId, displayId: "?", name: "?" },
  }));
}
