// GET /audit/public-key.pem: the public half of the audit signing key, for auditors who verify exports offline
// (scripts/audit-verify-export.ts). Public by nature, but the console serves nothing to strangers.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { tryLoadAuditSigningKey } from "~/audit/signing-key.server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";

export const permission: Permission = "audit:view";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  const { key, error } = tryLoadAuditSigningKey();
  if (!key)
    return new Response(`${error}\n`, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(key.publicKeyPem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": 'attachment; filename="firebreak-audit-public-key.pem"',
      "X-Firebreak-Key-Fingerprint": key.fingerprint,
    },
  });
}
