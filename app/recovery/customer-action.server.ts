// Every recovery step acts on one customer's account: the spine's target is the customer, and the audit row is filed
// under the incident the customer's case belongs to.
import type { ActionSpec } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";

/** The incident a customer's case belongs to (the most recent), so the audit row is filed under it. */
export async function incidentOfCustomer(customerId: string): Promise<string | undefined> {
  const found = await prisma.incidentCase.findFirst({
    where: { customerId },
    orderBy: { openedAt: "desc" },
    select: { incidentId: true },
  });
  return found?.incidentId;
}

/**
 * The target part of the spine's spec for a recovery action on the customer named in the input. The action and its
 * permission stay written out at each call, where the step-up review reads them.
 */
export async function customerTarget(input: {
  customerId: string;
  reason?: string;
}): Promise<Pick<ActionSpec, "targetType" | "targetId" | "incidentId" | "reason">> {
  return {
    targetType: "customer",
    targetId: input.customerId,
    incidentId: await incidentOfCustomer(input.customerId),
    reason: input.reason,
  };
}
