// GET /audit/export.csv?<filter>&through=<seq>: the filtered audit trail as CSV, streamed. Its manifest is the separate
// download /audit/export.csv.manifest.json with the same query. Audited (PCI DSS 10.2.1.3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "~/audit/audit-export-response.server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";

export const permission: Permission = "audit:export";

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission, { refuseCrossSite: true });
  return exportResponse(ctx, request, "csv");
}
