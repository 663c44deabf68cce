// Server-Sent Events: the banner on every open page learns of a new alert without a reload. The stream lives as long
// as the page, so each event first asks whether the session may still have it (sendWhilePermitted).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "remix-utils/sse/server";
import { requirePermission } from "~/auth/guard.server";
import { sendWhilePermitted } from "~/auth/live-session.server";
import { claimLiveStreamSlot } from "~/auth/live-stream-slots.server";
import type { Permission } from "~/auth/permissions";
import { subscribeToAlerts } from "~/detect/alert-feed.server";
import { onDraining } from "~/ops/draining.server";

export const permission: Permission = "alerts:view";

export async function loader({ request }: LoaderFunctionArgs) {
  // The page opens (and reopens) the stream by itself: not activity, so it never holds off the idle timeout.
  const ctx = await requirePermission(request, permission, { activity: false, refuseCrossSite: true });
  const releaseSlot = claimLiveStreamSlot(ctx.staff);
  return eventStream(request.signal, (send, close) => {
    const sendIfPermitted = sendWhilePermitted(request, permission, send, close);
    const unsubscribe = subscribeToAlerts((alerts) =>
      sendIfPermitted({ event: "alerts", data: JSON.stringify(alerts) }),
    );
    // A process shutting down ends the stream, or it would hold the listener open until the deadline.
    const stopOnDrain = onDraining(close);
    return () => {
      releaseSlot();
      stopOnDrain();
      unsubscribe();
    };
  });
}
