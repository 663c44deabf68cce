// Resend one failed or doubtful message (POST only): back in the queue, to the customer's current verified address.
// Audited as notify.retry. The account view, the incident's status page and the alert pages (a lead's mail) post here.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { safeRedirect } from "~/auth/safe-redirect";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { redirectWithToast } from "~/lib/toast.server";
import { retryMessage } from "~/notify/notice-queries.server";
import { isUuid } from "~/lib/uuid";
import { readForm } from "~/lib/form.server";

export const permission: Permission = "notify:send";

// The address opened directly (from the browser's history, a pasted link, back after the resend) is not a page: it
// leads to the notices rather than to Remix's bare "no loader" error.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  return redirect("/notifications");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const formData = await readForm(request, ctx.staff.language);
  const back = safeRedirect(formData.get("redirectTo"), "/notifications");
  const messageId = params.messageId ?? "";
  const t = translatorFor(ctx.staff.language, "notify");
  if (!isUuid(messageId)) {
    return redirectWithToast(back, { kind: "error", message: t("retry.noSuchMessage") });
  }
  try {
    await retryMessage(ctx, messageId);
    return redirectWithToast(back, { kind: "success", message: t("retry.queued") });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return redirectWithToast(back, { kind: "error", message: translateDomainError(ctx.staff.language, error) });
  }
}
