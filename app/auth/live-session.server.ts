// A Server-Sent Events stream outlives the guard its loader passed: the alert banner's stays open as long as the page.
// So before each event the stream asks again whether the session that opened it may still have it: not ended (by an
// admin, by disabling the member, by signing out), not idle or past its lifetime, fully signed in, and its member's
// role still holding the permission. The question only reads: a stream left open is not the member being active, so it
// never moves the idle timeout.
import { readSessionToken } from "~/auth/cookie.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { isSessionOver, lookUpStaffSession } from "~/auth/session.server";
import { now } from "~/lib/clock.server";

interface StreamEvent {
  event?: string;
  data: string;
}

async function sessionStillPermits(token: string, permission: Permission): Promise<boolean> {
  const found = await lookUpStaffSession(token);
  if (!found || isSessionOver(found, now())) return false;
  if (found.session.stage !== "FULL" || !found.staff.totpEnrolledAt) return false;
  return roleHasPermission(found.staff.role, permission);
}

/**
 * Wraps a stream's send: each event goes out only while the request's session still permits it; the first time it
 * does not, the stream is closed instead. Events keep their order (each waits for the check of the one before).
 */
export function sendWhilePermitted(
  request: Request,
  permission: Permission,
  send: (event: StreamEvent) => void,
  close: () => void,
): (event: StreamEvent) => void {
  const token = readSessionToken(request);
  let open: Promise<boolean> = Promise.resolve(token !== null);
  return (event) => {
    open = open
      .then(
        async (stillOpen) =>
          stillOpen && !request.signal.aborted && token !== null && (await sessionStillPermits(token, permission)),
      )
      // A check that cannot be made closes the stream (fail closed); the page's EventSource reconnects through the guard.
      .catch(() => false)
      .then((permitted) => {
        if (permitted) send(event);
        else close();
        return permitted;
      })
      // The browser went away while the check ran: sending to the closed stream throws, and nothing more is sent.
      .catch(() => false);
  };
}
