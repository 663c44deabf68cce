// POST /settings/language — the header's language switch. Any signed-in member may choose their own language.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { safeRedirect } from "~/auth/safe-redirect";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { changeOwnLanguage } from "~/i18n/staff-language.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "console:view";

const ChangeLanguageSchema = z.object({
  language: z.enum(SUPPORTED_LANGUAGES),
  redirectTo: z.string().max(2000).optional(),
});

// Nothing to show: the switch lives in the header.
export async function loader({ request }: ActionFunctionArgs) {
  await requirePermission(request, permission);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const submission = await parseForm(request, ChangeLanguageSchema, ctx.staff.language);
  const back = safeRedirect(submission.status === "success" ? submission.value.redirectTo : null);
  if (submission.status !== "success") {
    const t = translatorFor(ctx.staff.language, "errors");
    return redirectWithToast(back, { kind: "error", message: t("INVALID_LANGUAGE") });
  }
  const { language } = submission.value;
  try {
    await changeOwnLanguage(ctx, language);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return redirectWithToast(back, { kind: "error", message: translateDomainError(ctx.staff.language, error) });
  }
  // The confirmation is in the language just chosen.
  return redirectWithToast(back, { kind: "success", message: translatorFor(language)("language.changed") });
}
