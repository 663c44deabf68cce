// How fast one staff member may read customer data, or export the audit trail. An agent on a victim's call searches
// and opens a handful of accounts; a stolen agent session driven by a script would page through the whole customer
// base. Each member gets a budget of customer-data reads (a caller search or its next page, an account view) per hour,
// and a tenth of it in any minute; past it the read is refused (audited as denied) until the oldest read leaves the
// window. Audit exports (each one streams the trail from the database) have a budget of their own, counted the same way.
//
// Counted in the web process's memory: a console with several web processes (ADR 042) allows the budget once per
// process, still a bound a script cannot lift, and no database write on the console's busiest reads (ADR 075).
import { recordAuditEvent, type ActionContext } from "~/audit/perform-action.server";
import { env, staffReadsPerHour } from "~/env.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Per budget and staff member, the times (ms) of their reads in the last hour, oldest first. */
const readsByStaff = new Map<string, number[]>();

type BudgetKind = "customer-read" | "audit-export";

export interface ReadBudget {
  perHour: number;
  perMinute: number;
}

export function configuredReadBudget(): ReadBudget {
  return budgetOf(staffReadsPerHour(env()));
}

export function configuredExportBudget(): ReadBudget {
  return budgetOf(env().FIREBREAK_STAFF_EXPORTS_PER_HOUR);
}

export function budgetOf(perHour: number): ReadBudget {
  return { perHour, perMinute: Math.max(1, Math.ceil(perHour / 10)) };
}

export type ReadAllowance = { ok: true } | { ok: false; retryAt: Date };

/**
 * Counts one read by the staff member if the budget allows it now; otherwise refuses it without counting it and says
 * when the next read will be allowed.
 */
export function takeCustomerRead(
  staffId: string,
  budget: ReadBudget = configuredReadBudget(),
  at: Date = now(),
): ReadAllowance {
  return take("customer-read", staffId, budget, at);
}

/** The same for one audit export (a CSV, JSON Lines or manifest download). */
export function takeAuditExport(
  staffId: string,
  budget: ReadBudget = configuredExportBudget(),
  at: Date = now(),
): ReadAllowance {
  return take("audit-export", staffId, budget, at);
}

function take(kind: BudgetKind, staffId: string, budget: ReadBudget, at: Date): ReadAllowance {
  if (budget.perHour === 0) return { ok: true };
  const key = `${kind}:${staffId}`;
  const t = at.getTime();
  const reads = (readsByStaff.get(key) ?? []).filter((time) => time > t - HOUR_MS && time <= t);
  const inLastMinute = reads.filter((time) => time > t - MINUTE_MS);
  if (reads.length >= budget.perHour) {
    readsByStaff.set(key, reads);
    return { ok: false, retryAt: new Date(reads[reads.length - budget.perHour]! + HOUR_MS) };
  }
  if (inLastMinute.length >= budget.perMinute) {
    readsByStaff.set(key, reads);
    return { ok: false, retryAt: new Date(inLastMinute[inLastMinute.length - budget.perMinute]! + MINUTE_MS) };
  }
  reads.push(t);
  readsByStaff.set(key, reads);
  return { ok: true };
}

/**
 * For a page that opens one customer's file (the account view, the recovery page): counts the read, or records the
 * refusal (audited as denied, under the page's own action) and throws STAFF_READ_RATE_LIMITED (429).
 */
export async function assertCustomerReadAllowed(ctx: ActionContext, action: string, customerId: string): Promise<void> {
  if (ctx.actor.kind !== "staff") return;
  const allowance = takeCustomerRead(ctx.actor.id);
  if (allowance.ok) return;
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action,
    outcome: "DENIED",
    targetType: "customer",
    targetId: customerId.toLowerCase(),
    after: { reason: "read budget", retryAt: allowance.retryAt.toISOString() },
  });
  throw new DomainError(
    "STAFF_READ_RATE_LIMITED",
    "Too many customer searches and account views in a short time. Wait a few minutes, then try again.",
    429,
  );
}

/** Tests only: forget every member's reads. */
export function resetReadBudgets(): void {
  readsByStaff.clear();
}
