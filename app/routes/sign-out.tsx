import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie } from "~/auth/cookie.server";
import type { Permission } from "~/auth/permissions";
import { languageOf, translatorFor } from "~/i18n/i18next.server";
import { signOut } from "~/auth/sign-out.server";
import { originOf } from "~/lib/request-context.server";
import { redirectWithToast } from "~/lib/toast.server";

// Anyone holding a session, even a password-only one, may end it: no permission. The HTTP layer refuses cross-site
// posts, so another site cannot sign staff out.
export const permission: Permission | null = null;

// GET /sign-out changes nothing: sign-out is a POST (a link or an image could otherwise sign someone out).
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // Read before signing out: the member's language lives on the profile the session points to.
  const language = await languageOf(request);
  const ended = await signOut(request, originOf(request));
  const headers = { "Set-Cookie": clearSessionCookie() };
  if (!ended) return redirect("/sign-in", { headers });
  return redirectWithToast(
    "/sign-in",
    { kind: "info", message: translatorFor(language, "auth")("signedOut") },
    { headers },
  );
}
