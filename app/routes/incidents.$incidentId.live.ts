// The dashboard's live updates as Server-Sent Events. The stream holds no database connection: it subscribes to the
// incident's shared feed (one poll per incident per process, ADR 032). It outlives the guard its loader passed, so
// every event it sends (an update or a keep-alive ping) first asks whether the session that opened it may still have
// it, as the alert banner's stream does (sendWhilePermitted): a session ended, expired or disabled, or a role that lost
// incidents:view, closes the stream at its next event.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "remix-utils/sse/server";
import { requirePermission } from "~/auth/guard.server";
import { sendWhilePermitted } from "~/auth/live-session.server";
import { claimLiveStreamSlot } from "~/auth/live-stream-slots.server";
import type { Permission } from "~/auth/permissions";
import { findIncident } from "~/incidents/command/figures.server";
import { subscribeToIncident } from "~/incidents/command/live-feed.server";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { onDraining } from "~/ops/draining.server";

export const permission: Permission = "incidents:view";

export const FIVE_MINUTES = 5 * 60 * 1000;
const STREAM_LIFETIME_MS = FIVE_MINUTES;
const KEEP_ALIVE_MS = 25_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  // The page opens (and reopens) the stream by itself: not activity, so it never holds off the idle timeout.
  const ctx = await requirePermission(request, permission, { activity: false, refuseCrossSite: true });
  let incidentId: string;
  try {
    incidentId = (await findIncident(params.incidentId ?? "")).id;
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
  const releaseSlot = claimLiveStreamSlot(ctx.staff);
  return eventStream(request.signal, (send, close) => {
    const sendIfPermitted = sendWhilePermitted(request, permission, send, close);
    const unsubscribe = subscribeToIncident(incidentId, (view) =>
      sendIfPermitted({ event: "figures", data: JSON.stringify(view) }),
    );
    // Pings keep proxies from closing an idle stream, and a quiet incident's stream still re-checks the session.
    const keepAlive = setInterval(() => sendIfPermitted({ event: "ping", data: "" }), KEEP_ALIVE_MS);
    // The browser's reconnection passes the whole guard again, as the page's own requests do.
    const lifetime = setTimeout(close, STREAM_LIFETIME_MS);
    // A process shutting down ends the stream, or it would hold the listener open until the deadline.
    const stopOnDrain = onDraining(close);
    return () => {
      releaseSlot();
      stopOnDrain();
      clearInterval(keepAlive);
      clearTimeout(lifetime);
      unsubscribe();
    };
  });
}
