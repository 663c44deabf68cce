// Server-Sent Events: the banner on every open page learns of a new alert without a reload.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "remix-utils/sse/server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { subscribeToAlerts } from "~/detect/alert-feed.server";

export const permission: Permission = "alerts:view";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  return eventStream(request.signal, (send) =>
    subscribeToAlerts((alerts) => send({ event: "alerts", data: JSON.stringify(alerts) })),
  );
}
