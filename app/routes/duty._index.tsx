// Who is on duty: the security leads alerts and containments are mailed to. A lead puts themself on or off duty here;
// everyone who may see alerts may see who will hear of them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { dutyRoster, setOwnDuty } from "~/detect/duty.server";
import type { Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { parseForm } from "~/lib/form.server";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "alerts:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "detect:duty.title") }];

const DutySchema = z.object({ intent: z.enum(["on", "off"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const roster = await dutyRoster();
  return {
    roster,
    me: ctx.staff.id,
    canTakeDuty: roleHasPermission(ctx.staff.role, "alerts:manage"),
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "detect");
  const submission = await parseForm(request, DutySchema, ctx.staff.language);
  if (submission.status !== "success") return data({ error: t("errors.badRequest") }, { status: 400 });
  const onDuty = submission.value.intent === "on";
  try {
    await setOwnDuty(ctx, onDuty);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
  return redirectWithToast("/duty", { kind: "success", message: onDuty ? t("duty.toast.on") : t("duty.toast.off") });
}

export default function Duty() {
  const { roster, me, canTakeDuty } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("detect");
  const language = i18n.language as Language;
  const mine = roster.onDuty.some((d) => d.id === me);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("duty.title")}</h1>
        <p className="text-sm text-slate-600">{t("duty.intro")}</p>
      </div>
      {actionData && "error" in actionData ? (
        <p role="alert" className="text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      <section className="card space-y-3" data-testid="duty-roster">
        {roster.onDuty.length === 0 ? (
          <p className="text-sm font-semibold text-amber-800" data-testid="duty-nobody">
            {t("duty.nobody", { count: roster.leads.length })}
          </p>
        ) : (
          <>
            <h2 className="text-lg font-semibold">{t("duty.onDuty")}</h2>
            <ul className="text-sm">
              {roster.onDuty.map((d) => (
                <li key={d.id} data-testid="duty-member">
                  {d.displayName} · {t("duty.since", { since: formatJst(d.since, language) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {canTakeDuty ? (
        <section className="card flex items-center gap-3">
          <p className="text-sm">{mine ? t("duty.you.on") : t("duty.you.off")}</p>
          <Form method="post">
            <button type="submit" name="intent" value={mine ? "off" : "on"} className="btn-primary">
              {mine ? t("duty.action.off") : t("duty.action.on")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
