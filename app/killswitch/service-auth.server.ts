// The first line of every service-API handler: the calling service, or a thrown 401. Failed attempts are logged with
// the request ID and client address, not written to the audit chain: an unauthenticated caller must not be able to
// make the console write (and serialise on) audit rows at will.
import { authenticateServiceToken, type AuthenticatedService } from "~/killswitch/service-tokens.server";
import { clientIpOf, requestIdOf } from "~/lib/request-context.server";

export function apiError(status: number, code: string, message: string, headers: HeadersInit = {}) {
  return Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export async function requireServiceToken(request: Request): Promise<AuthenticatedService> {
  const service = await authenticateServiceToken(request.headers.get("authorization"));
  if (service) return service;
  console.warn(
    `service API: refused a request without a valid service token (request ${requestIdOf(request)}, ip ${clientIpOf(request) ?? "unknown"})`,
  );
  throw apiError(
    401,
    "UNAUTHORIZED",
    "Send a valid service token: Authorization: Bearer fbk_svc_… (an admin creates one under Service tokens).",
    { "WWW-Authenticate": 'Bearer realm="firebreak", error="invalid_token"' },
  );
}
