// The data each composable notice needs, loaded in bulk for many customers at once (one query per kind of data, not
// one per customer), from the same database state the send will commit against.
import type { DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { mergeReversalParts, type ReversalPart } from "~/notify/reversal-lines";
import type { ComposableTemplateKey } from "~/notify/notice-schemas";

export interface NoticeIncident {
  id: string;
  code: string;
  title: string;
  status: "OPEN" | "CONTAINED" | "RESOLVED";
  openedAt: Date;
}

export interface NoticeCustomerFacts {
  id: string;
  name: string;
  displayId: string;
  caseStatus: string;
}

/** Cases past "open": the account has been secured, so "we secured your account" is true. */
const SECURED_CASE_STATUSES = new Set(["CONTAINED", "REMEDIATED", "NOTIFIED", "CLOSED"]);

/** The dedupe discriminator: an incident update goes out once per incident status, the others once per incident. */
export function discriminatorFor(template: ComposableTemplateKey, incident: NoticeIncident): string | null {
  return template === "incident-update" ? incident.status : null;
}

export async function loadNoticeVariables(
  db: DbTx,
  template: ComposableTemplateKey,
  incident: NoticeIncident,
  customers: NoticeCustomerFacts[],
): Promise<Map<string, Record<string, unknown>>> {
  const variables = new Map<string, Record<string, unknown>>();
  const base = (c: NoticeCustomerFacts) => ({
    customer: { name: c.name, displayId: c.displayId },
    incidentCode: incident.code,
  });

  if (template === "account-secured") {
    for (const c of customers) {
      // The template takes no date; the case status is what makes the notice true, so it is checked here and a
      // still-open case is reported as missing data (refused at preview, skipped with the reason in a bulk send).
      const secured = SECURED_CASE_STATUSES.has(c.caseStatus);
      variables.set(c.id, { ...base(c), securedCase: secured ? c.caseStatus : undefined });
    }
    return variables;
  }

  if (template === "incident-update") {
    const updatedAt = now();
    for (const c of customers) variables.set(c.id, { ...base(c), status: incident.status, updatedAt });
    return variables;
  }

  // charges-reversed: every reversal of a charge made since the incident opened.
  const byCustomer = new Map<string, ReversalPart[]>();
  const CHUNK = 500;
  for (let i = 0; i < customers.length; i += CHUNK) {
    const reversals = await db.ledgerTransaction.findMany({
      where: {
        kind: "REVERSAL",
        customerId: { in: customers.slice(i, i + CHUNK).map((c) => c.id) },
        reverses: { occurredAt: { gte: incident.openedAt } },
      },
      orderBy: [{ customerId: "asc" }, { occurredAt: "asc" }],
      select: {
        customerId: true,
        amount: true,
        reverses: {
          select: {
            id: true,
            kind: true,
            occurredAt: true,
            purchase: { select: { store: { select: { name: true } } } },
          },
        },
      },
    });
    for (const r of reversals) {
      if (!r.reverses) continue;
      const list = byCustomer.get(r.customerId) ?? [];
      list.push({
        chargeId: r.reverses.id,
        chargedAt: r.reverses.occurredAt,
        merchant: r.reverses.purchase?.store.name ?? null,
        amountYen: r.amount,
        // A reversed purchase credits the wallet; a reversed top-up goes back to the card it came from.
        destination: r.reverses.kind === "PURCHASE" ? ("wallet" as const) : ("card" as const),
      });
      byCustomer.set(r.customerId, list);
    }
  }
  for (const c of customers) {
    variables.set(c.id, { ...base(c), reversals: mergeReversalParts(byCustomer.get(c.id) ?? []) });
  }
  return variables;
}
