// The HTML version of a notice preview, for the compose page's <iframe>: the real account's data, rendered on its own
// page with a CSP that allows the mail's inline styles and nothing else (see email-html-response.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { readComposeQuery } from "~/notify/compose.server";
import { emailHtmlResponse } from "~/notify/email-html-response.server";
import { previewNotice } from "~/notify/notices.server";
import { isUuid } from "~/lib/uuid";

export const permission: Permission = "notify:send";

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission, { refuseCrossSite: true });
  const params = new URL(request.url).searchParams;
  const query = readComposeQuery(params);
  const customerId = params.get("customer") ?? "";
  if (!query.incident || !isUuid(customerId)) throw new Response("Not found", { status: 404 });
  try {
    const preview = await previewNotice({
      incidentId: query.incident,
      template: query.template,
      language: query.language,
      customerId,
    });
    return emailHtmlResponse(preview.rendered.html);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return new Response(translateDomainError(ctx.staff.language, error), {
      status: error.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
