// The HTML part of a sink message, for the viewer's sandboxed <iframe>. 404 in production.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { findSinkMessage } from "~/notify/dev-sink.server";
import { devMailAvailable, emailHtmlResponse } from "~/notify/email-html-response.server";

export const permission: Permission = "mail:view-sink";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  if (!devMailAvailable()) throw new Response("Not found", { status: 404 });
  const message = findSinkMessage(params.id ?? "");
  if (!message?.html) throw new Response("Not found", { status: 404 });
  return emailHtmlResponse(message.html);
}
