// GET /audit/export.csv.manifest.json?<filter>&through=<seq>: the signed manifest of the CSV export with the same query
// (row count, first and last seq, chain head hash, SHA-256 of the CSV file). Audited (PCI DSS 10.2.1.3).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvManifestResponse } from "~/audit/audit-export-response.server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";

export const permission: Permission = "audit:export";

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission, { refuseCrossSite: true });
  return csvManifestResponse(ctx, request);
}
