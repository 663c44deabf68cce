// GET /api/v1/kill-switches — the state and version of every kill switch, for other payment services.
// Poll it with If-None-Match: an unchanged board costs a 304 and no body. A service that cannot get a 200 or a 304
// must treat the state as unknown and stop the covered flows (fail closed), as the wallet back end does.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireServiceToken } from "~/killswitch/service-auth.server";
import { etagMatches, readSwitchDocument } from "~/killswitch/service-api.server";

// No staff permission: machine clients authenticate with a service token (requireServiceToken, the first line).
export const permission = null;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireServiceToken(request);
  const { document, etag } = await readSwitchDocument();
  const headers = { ETag: etag, "Cache-Control": "private, no-cache", Vary: "Authorization" };
  if (etagMatches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return Response.json(document, { headers });
}
