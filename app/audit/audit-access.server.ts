// Reading the audit trail is itself audited (PCI DSS 10.2.1.3: all access to audit logs): opening the audit view (each
// page, with its filter), every export and every verification writes an audit row of its own.
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import type { AuditOutcome } from "~/audit/audit-log.server";

export type AuditAccessAction = "audit.view" | "audit.export" | "audit.verify";

export async function recordAuditAccess(
  ctx: ActionContext,
  access: { action: AuditAccessAction; outcome?: AuditOutcome; details: Record<string, unknown> },
): Promise<void> {
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: access.action,
    outcome: access.outcome ?? "SUCCESS",
    targetType: "audit_log",
    targetId: null,
    after: access.details,
  });
}
