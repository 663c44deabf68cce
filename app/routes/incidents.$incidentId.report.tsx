// The incident's reports to the Personal Information Protection Commission: the versions so far and their deadlines,
// and the form that drafts a new one from the incident's data.
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { deadlineDateJst } from "~/incidents/breach-report/deadlines";
import { EARLIEST_LEARNED_YEAR, LATEST_LEARNED_YEAR, readLearnedAt } from "~/incidents/breach-report/learned-at";
import { DraftReportFields } from "~/incidents/breach-report/report-forms";
import { draftReport, listReports } from "~/incidents/breach-report/reports.server";
import { findIncident } from "~/incidents/command/figures.server";
import { isLanguage } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { localizeReply, translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "incidents:view";

async function incidentOr404(idOrCode: string) {
  try {
    return await findIncident(idOrCode);
  } catch (error) {
    rethrowForErrorPage(error);
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const incident = await incidentOr404(params.incidentId ?? "");
  return {
    reports: await listReports(incident.id),
    canDraft: roleHasPermission(ctx.staff.role, "breach-report:manage"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, "breach-report:manage");
  const incident = await incidentOr404(params.incidentId ?? "");
  const language = ctx.staff.language;
  const t = translatorFor(language, "command");
  const submission = await parseForm(request, DraftReportFields, ctx.staff.language);
  if (submission.status !== "success") return data(localizeReply(language, submission.reply()), { status: 400 });
  const learned = readLearnedAt(submission.value.learnedAt);
  if ("problem" in learned) {
    const message = t(`reports.learnedAtProblem.${learned.problem}`, {
      input: submission.value.learnedAt,
      earliest: EARLIEST_LEARNED_YEAR,
      latest: LATEST_LEARNED_YEAR,
    });
    return data(submission.reply({ fieldErrors: { learnedAt: [message] } }), { status: 400 });
  }
  try {
    const report = await draftReport(ctx, {
      incidentId: incident.id,
      kind: submission.value.kind,
      learnedAt: learned.date,
      unauthorizedIntent: submission.value.unauthorizedIntent,
    });
    return redirectWithToast(`/reports/breach/${report.id}`, { kind: "success", message: t("reports.drafted") });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data(submission.reply({ formErrors: [translateDomainError(language, error)] }), { status: error.status });
  }
}

export default function IncidentReports() {
  const { reports, canDraft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const errors = result?.error ?? {};
  const messages = [...(errors[""] ?? []), ...(errors.learnedAt ?? []), ...(errors.kind ?? [])];
  return (
    <div className="space-y-6">
      <section className="card space-y-2">
        <h2 className="font-semibold">{t("reports.heading")}</h2>
        {reports.length === 0 ? <p className="text-sm text-slate-600">{t("reports.none")}</p> : null}
        <table className="min-w-full text-sm" data-testid="report-list">
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td className="pr-3">
                  <Link className="underline" to={`/reports/breach/${r.id}`}>
                    {t("reports.version", { kind: t(`reports.kind.${r.kind}`), version: r.version })}
                  </Link>
                </td>
                <td className="pr-3">{t("reports.due", { date: deadlineDateJst(new Date(r.deadline)) })}</td>
                <td className="text-xs text-slate-500">
                  {t("reports.saved", { at: formatJst(r.createdAt, language) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {canDraft ? (
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("reports.draftHeading")}</h2>
          <Form method="post" className="flex flex-wrap items-end gap-3 text-sm">
            <label>
              <span className="label">{t("reports.kindLabel")}</span>
              <select name="kind" className="input mt-1" defaultValue="PRELIMINARY">
                <option value="PRELIMINARY">{t("reports.preliminary")}</option>
                <option value="FINAL">{t("reports.final")}</option>
              </select>
            </label>
            <label>
              <span className="label">{t("reports.learnedAt")}</span>
              <JstDateTimeInput name="learnedAt" required />
            </label>
            <label className="flex items-center gap-2">
              <input name="unauthorizedIntent" type="checkbox" defaultChecked />
              {t("reports.unauthorizedIntent")}
            </label>
            <button type="submit" className="btn-primary">
              {t("reports.draft")}
            </button>
          </Form>
          {messages.length > 0 ? (
            <p role="alert" className="text-sm text-red-700">
              {messages.join(" ")}
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
