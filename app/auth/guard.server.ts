// The first line of every loader and action. Deny by default: no session → sign-in; a password-only session →
// the TOTP step; a fully signed-in staff member without the permission → a 403 page, and the denial is audited.
import { redirect } from "@remix-run/node";
import type { Actor, Origin } from "~/audit/actor";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { isAutomaticRefresh } from "~/auth/automatic-refresh";
import { readSessionToken } from "~/auth/cookie.server";
import { roleHasPermission, type Permission, type Role } from "~/auth/permissions";
import { validateStaffSessionToken, type ValidatedStaffSession } from "~/auth/session.server";
import type { EngagedSwitch } from "~/killswitch/engaged-switches.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { STEP_UP_WINDOW_MS } from "~/auth/step-up-window";
import type { Language } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { now } from "~/lib/clock.server";
import { oncePerRequest, originOf } from "~/lib/request-context.server";

export const FIVE_MINUTES = 5 * 60 * 1000;
export { STEP_UP_WINDOW_MS };

export interface StaffContext {
  actor: Extract<Actor, { kind: "staff" }>;
  origin: Origin;
  // language is absent only in contexts built by hand (tests, workers): those read Japanese, the default.
  staff: { id: string; email: string; displayName: string; role: Role; language?: Language };
  session: { id: string; steppedUpAt: Date | null };
}

function signInRedirect(request: Request, page = "/sign-in", options: { expired?: boolean } = {}): Response {
  const url = new URL(request.url);
  const posted = request.method !== "GET" && request.method !== "HEAD";
  const back = posted ? pageOfForm(request, url) : safeRedirect(url.pathname + url.search);
  const query = new URLSearchParams();
  if (back !== "/") query.set("redirectTo", back);
  // Say why when a session the browser still holds has ended (idle, absolute lifetime, ended by an admin), and that
  // the form the person just sent was not acted on: they will type it again on the page they come back to.
  if (options.expired) query.set("expired", "1");
  if (options.expired && posted) query.set("unsent", "1");
  const search = query.toString();
  return redirect(search ? `${page}?${search}` : page);
}

/**
 * The page a form was posted from, to come back to after signing in again: the browser names it in Referer (our
 * Referrer-Policy is same-origin, so only our own pages are named). A post's own URL may be an action with no page,
 * and a Referer naming another host is ignored; either way the default is the console's home.
 */
function pageOfForm(request: Request, url: URL): string {
  const referer = request.headers.get("referer");
  if (!referer) return "/";
  let from: URL;
  try {
    from = new URL(referer);
  } catch {
    return "/";
  }
  return from.host === url.host ? safeRedirect(from.pathname + from.search) : "/";
}

// A page's root loader and route loader both ask who is signed in: on a GET the session is validated (and its
// lastSeenAt touched) once per HTTP request and both get that answer, with the same expiry, revocation and disabled
// checks as before. A form post is validated afresh each time it is asked: its action may end or step up the very
// session that the loaders answering it must then see (Remix hands those loaders a GET request of their own, so they
// share one check made after the action).
const VALIDATED_ONCE = new Set(["GET", "HEAD"]);

function validateRequestSession(request: Request, token: string, activity: boolean) {
  if (!VALIDATED_ONCE.has(request.method)) return validateStaffSessionToken(token, { activity });
  return oncePerRequest(`staff-session:${token}:${activity}`, () => validateStaffSessionToken(token, { activity }));
}

export interface GuardOptions {
  /** false for a request the page makes by itself (an event stream): checked, but not the member being active. */
  activity?: boolean;
  /**
   * For a GET that writes an audit row or hands out data (an export, a stream): refuse it when the browser says
   * another site started it (`Sec-Fetch-Site: cross-site`). Lax cookies ride along on a top-level navigation, so a
   * link elsewhere could otherwise make a signed-in member export. No fetch metadata (not a browser) passes (ADR 005).
   */
  refuseCrossSite?: boolean;
}

/** A fully signed-in staff member (password and TOTP), or a thrown redirect. */
export async function requireStaff(request: Request, options: GuardOptions = {}): Promise<StaffContext> {
  return staffContextOf(request, await requireFullSession(request, options));
}

async function requireFullSession(request: Request, options: GuardOptions): Promise<ValidatedStaffSession> {
  // A page refreshing itself (app/components/automatic-refresh.ts) is no more the member's activity than a stream is.
  const activity = (options.activity ?? true) && !isAutomaticRefresh(request);
  const token = readSessionToken(request);
  const validated = token ? await validateRequestSession(request, token, activity) : null;
  if (!validated) throw signInRedirect(request, "/sign-in", { expired: token !== null });
  const { session, staff } = validated;
  if (session.stage !== "FULL" || !staff.totpEnrolledAt) {
    throw signInRedirect(request, staff.totpEnrolledAt ? "/sign-in/totp" : "/sign-in/enroll");
  }
  return validated;
}

function staffContextOf(request: Request, { session, staff }: ValidatedStaffSession): StaffContext {
  return {
    actor: { kind: "staff", id: staff.id, role: staff.role, email: staff.email },
    origin: originOf(request),
    staff: {
      id: staff.id,
      email: staff.email,
      displayName: staff.displayName,
      role: staff.role,
      language: staff.language,
    },
    session: { id: session.id, steppedUpAt: session.steppedUpAt },
  };
}

/** requireStaff plus the permission; a denial is audited and answered with 403. */
export async function requirePermission(
  request: Request,
  permission: Permission,
  options: GuardOptions = {},
): Promise<StaffContext> {
  const ctx = await requireStaff(request, options);
  if (!roleHasPermission(ctx.staff.role, permission)) {
    await auditDenial(request, ctx, { missingPermission: permission });
    const t = translatorFor(ctx.staff.language);
    const permissionName = t(`permission.${permission.replace(":", ".")}` as never);
    throw new Response(t("forbidden", { role: t(`role.${ctx.staff.role}`), permission: permissionName }), {
      status: 403,
      statusText: "Forbidden",
    });
  }
  if (options.refuseCrossSite && request.headers.get("sec-fetch-site") === "cross-site") {
    await auditDenial(request, ctx, { secFetchSite: "cross-site" });
    throw new Response(translatorFor(ctx.staff.language)("crossSiteRefused"), {
      status: 403,
      statusText: "Forbidden",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return ctx;
}

function auditDenial(request: Request, ctx: StaffContext, after: Record<string, string>): Promise<unknown> {
  const url = new URL(request.url);
  return recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "access.denied",
    outcome: "DENIED",
    targetType: "route",
    targetId: `${request.method} ${url.pathname}`,
    after,
  });
}

/** True when the staff member re-entered a TOTP code within the step-up window. */
export function hasRecentStepUp(ctx: StaffContext): boolean {
  const at = ctx.session.steppedUpAt;
  return at !== null && now().getTime() - at.getTime() < STEP_UP_WINDOW_MS;
}

/**
 * For sensitive actions: without a recent step-up, send the user to re-enter their code and come back. A form sent
 * without one is refused here, before the spine would see it, so the refusal is audited here: a stolen session that
 * has no authenticator tries the switch board or an approval and leaves a DENIED row naming the form, not nothing.
 * A page opened without one (a loader) only asks for the code.
 */
export async function requireStepUp(request: Request, ctx: StaffContext): Promise<void> {
  if (hasRecentStepUp(ctx)) return;
  const url = new URL(request.url);
  if (request.method !== "GET" && request.method !== "HEAD") {
    await auditDenial(request, ctx, { stepUp: ctx.session.steppedUpAt ? "expired" : "missing" });
  }
  throw redirect(`/step-up?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** For the layout only: who is signed in (fully), without redirecting. Never use it to authorise anything. */
export async function getSignedInStaff(request: Request): Promise<StaffContext | null> {
  return (await getPageFrame(request))?.ctx ?? null;
}

/**
 * What the frame of every page shows: who is signed in, and the kill switches engaged at that same check (the banner),
 * read in the session check's one statement. null when nobody is fully signed in.
 */
export async function getPageFrame(
  request: Request,
): Promise<{ ctx: StaffContext; engagedSwitches: EngagedSwitch[] } | null> {
  try {
    const validated = await requireFullSession(request, {});
    return { ctx: staffContextOf(request, validated), engagedSwitches: validated.engagedSwitches };
  } catch (thrown) {
    if (thrown instanceof Response) return null;
    throw thrown;
  }
}
