// GET /audit/export.jsonl?<filter>&through=<seq>: the filtered audit trail as JSON Lines, streamed, ending with its
// signed manifest line. Audited (PCI DSS 10.2.1.3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "~/audit/audit-export-response.server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";

export const permission: Permission = "audit:export";

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission, { refuseCrossSite: true });
  return exportResponse(ctx, request, "jsonl");
}
