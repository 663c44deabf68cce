// The dashboard's live updates as Server-Sent Events. The stream holds no database connection: it subscribes to the
// incident's shared feed (one poll per incident per process, ADR 032) and ends after a while, so that the browser's
// automatic reconnection passes the session guard again.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "remix-utils/sse/server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { findIncident } from "~/incidents/command/figures.server";
import { subscribeToIncident } from "~/incidents/command/live-feed.server";
import { isDomainError } from "~/lib/domain-error";

export const permission: Permission = "incidents:view";

export const FIVE_MINUTES = 5 * 60 * 1000;
const STREAM_LIFETIME_MS = FIVE_MINUTES;
const KEEP_ALIVE_MS = 25_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  let incidentId: string;
  try {
    incidentId = (await findIncident(params.incidentId ?? "")).id;
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
  return eventStream(request.signal, (send, close) => {
    const unsubscribe = subscribeToIncident(incidentId, (view) =>
      send({ event: "figures", data: JSON.stringify(view) }),
    );
    // Comments keep proxies from closing an idle stream; a fresh connection re-checks the session.
    const keepAlive = setInterval(() => send({ event: "ping", data: "" }), KEEP_ALIVE_MS);
    const lifetime = setTimeout(close, STREAM_LIFETIME_MS);
    return () => {
      clearInterval(keepAlive);
      clearTimeout(lifetime);
      unsubscribe();
    };
  });
}
