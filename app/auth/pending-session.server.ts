// The guard of the second-step pages (TOTP, recovery code, enrollment). They are the only pages a password-only
// session can reach; requireStaff sends such a session here from everywhere else.
import { redirect } from "@remix-run/node";
import type { Origin } from "~/audit/actor";
import { readSessionToken } from "~/auth/cookie.server";
import type { Role } from "~/auth/permissions";
import { validateStaffSessionToken } from "~/auth/session.server";
import { safeRedirect, redirectToQuery } from "~/auth/safe-redirect";
import { originOf } from "~/lib/request-context.server";

export interface PendingSignIn {
  token: string;
  sessionId: string;
  staff: { id: string; email: string; displayName: string; role: Role; totpEnrolled: boolean };
  origin: Origin;
  redirectTo: string;
}

/**
 * A password-only session, or a thrown redirect: no session → sign-in; already fully signed in → where they were
 * going; `need` says which second-step page this is, and a member on the wrong one is sent to the right one.
 */
export async function requirePasswordSession(
  request: Request,
  need: "enrolled" | "not-enrolled",
): Promise<PendingSignIn> {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  const token = readSessionToken(request);
  const validated = token ? await validateStaffSessionToken(token) : null;
  if (!token || !validated) throw redirect(`/sign-in${redirectToQuery(redirectTo)}`);
  const { session, staff } = validated;
  if (session.stage === "FULL") throw redirect(redirectTo);
  const totpEnrolled = staff.totpEnrolledAt !== null;
  if (need === "enrolled" && !totpEnrolled) throw redirect(`/sign-in/enroll${redirectToQuery(redirectTo)}`);
  if (need === "not-enrolled" && totpEnrolled) throw redirect(`/sign-in/totp${redirectToQuery(redirectTo)}`);
  return {
    token,
    sessionId: session.id,
    staff: { id: staff.id, email: staff.email, displayName: staff.displayName, role: staff.role, totpEnrolled },
    origin: originOf(request),
    redirectTo,
  };
}
