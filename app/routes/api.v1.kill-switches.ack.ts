// POST /api/v1/kill-switches/ack — a service instance reports the switch versions it has applied:
//   { "instance": "pod-7f9c", "applied": [{ "key": "topup.all", "version": 4 }, …] }
// Send it after applying a new state, and every minute or so as a heartbeat. The switch board shows, per switch,
// which services run its current version and since when.
import type { ActionFunctionArgs } from "@remix-run/node";
import { apiError, requireServiceToken } from "~/killswitch/service-auth.server";
import { recordServiceAcks } from "~/killswitch/service-api.server";
import { AckBodySchema } from "~/killswitch/schemas";
import { isDomainError } from "~/lib/domain-error";
import { originOf } from "~/lib/request-context.server";

// No staff permission: machine clients authenticate with a service token (requireServiceToken, the first line).
export const permission = null;

const MAX_BODY_BYTES = 16 * 1024;

export async function loader() {
  return apiError(405, "METHOD_NOT_ALLOWED", "POST your applied versions to this URL.", { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  const service = await requireServiceToken(request);
  if (request.method !== "POST") {
    return apiError(405, "METHOD_NOT_ALLOWED", "POST your applied versions to this URL.", { Allow: "POST" });
  }
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return apiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the report as application/json.");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return apiError(413, "BODY_TOO_LARGE", `Keep the report under ${MAX_BODY_BYTES / 1024} KiB.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return apiError(400, "INVALID_JSON", "The body is not valid JSON.");
  }
  const parsed = AckBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return apiError(422, "INVALID_REPORT", `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  try {
    const outcome = await recordServiceAcks(service, originOf(request), parsed.data);
    return Response.json(
      { service: service.serviceName, instance: parsed.data.instance, ...outcome },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return apiError(error.status, error.code, error.message);
  }
}
