// One breach report: the document (Japanese, or English with ?lang=en), its exports, and the editor that saves the
// next version. Saving is refused when someone saved a newer version meanwhile.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { REPORT_ITEMS } from "~/incidents/breach-report/items";
import { ReportDocument } from "~/incidents/breach-report/report-document";
import { SaveReportFields } from "~/incidents/breach-report/report-forms";
import { loadReport, saveReportVersion } from "~/incidents/breach-report/reports.server";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { localizeReply, translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "command:report.pageTitleFallback") }];
  const language = languageOfMatches(matches);
  const title = fixedT(language, "command")("report.pageTitle", {
    code: data.report.incidentCode,
    version: data.report.version,
  });
  return [{ title: `${title} · ${fixedT(language)("appName")}` }];
};

async function reportOr404(reportId: string) {
  try {
    return await loadReport(reportId);
  } catch (error) {
    rethrowForErrorPage(error);
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const language = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "ja";
  return {
    report: await reportOr404(params.reportId ?? ""),
    language,
    canEdit: roleHasPermission(ctx.staff.role, "breach-report:manage"),
    // One key per rendering of the editor: a double click or a resent save makes one version (ADR 095).
    submissionKey: newSubmissionKey(),
  } as const;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, "breach-report:manage");
  const language = ctx.staff.language;
  const submission = await parseForm(request, SaveReportFields, ctx.staff.language);
  if (submission.status !== "success") return data(localizeReply(language, submission.reply()), { status: 400 });
  try {
    const saved = await saveReportVersion(ctx, {
      reportId: params.reportId ?? "",
      baseVersion: submission.value.baseVersion,
      items: submission.value.items,
      unauthorizedIntent: submission.value.unauthorizedIntent,
      submissionKey: submission.value.submissionKey,
    });
    return redirectWithToast(`/reports/breach/${saved.id}`, {
      kind: "success",
      message: translatorFor(language, "command")("report.savedAs", { version: saved.version }),
    });
  } catch (error) {
    // The same rendered editor saved again (a double click, a resent post): the version the first save made is shown.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      const first = await reportOr404(error.outcome);
      return redirectWithToast(`/reports/breach/${error.outcome}`, {
        kind: "success",
        message: translatorFor(language, "command")("report.savedOnce", { version: first?.version }),
      });
    }
    if (!isDomainError(error)) throw error;
    return data(submission.reply({ formErrors: [translateDomainError(language, error)] }), {
      status: error.status === 404 ? 404 : 409,
    });
  }
}

export default function BreachReportPage() {
  const { report, language, canEdit, submissionKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const formErrors = Object.values(result?.error ?? {}).flat();
  const { t } = useTranslation("command");
  const stale = report.version !== report.latestVersion;
  return (
    <div className="space-y-6">
      <p className="text-sm print:hidden">
        <Link className="underline" to={`/incidents/${report.incidentId}/report`}>
          {t("report.back", { code: report.incidentCode })}
        </Link>{" "}
        ·{" "}
        <Link className="underline" to={`?lang=${language === "ja" ? "en" : "ja"}`}>
          {language === "ja" ? "English version" : "日本語版"}
        </Link>
        {canEdit ? (
          <>
            {" "}
            ·{" "}
            <a className="underline" href={`/reports/breach/${report.id}/export?format=pdf&lang=${language}`}>
              {t("report.downloadPdf")}
            </a>{" "}
            ·{" "}
            <a className="underline" href={`/reports/breach/${report.id}/export?format=html&lang=${language}`}>
              {t("report.printable")}
            </a>
          </>
        ) : null}
      </p>
      {stale ? (
        <p role="status" className="card text-sm text-amber-800">
          {t("report.stale", { version: report.version, latest: report.latestVersion })}
        </p>
      ) : null}
      <div className="card">
        <ReportDocument report={report} language={language} />
      </div>
      {canEdit && !stale ? (
        <Form method="post" className="card space-y-4 print:hidden" aria-label={t("report.editLabel")}>
          <h2 className="font-semibold">{t("report.editHeading", { next: report.version + 1 })}</h2>
          <input type="hidden" name="baseVersion" value={report.version} />
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <label className="flex items-center gap-2 text-sm">
            <input name="unauthorizedIntent" type="checkbox" defaultChecked={report.unauthorizedIntent} />
            {t("report.unauthorizedIntent")}
          </label>
          {REPORT_ITEMS.map((item) => (
            <fieldset key={item.key} className="grid gap-2 md:grid-cols-2">
              <legend className="text-sm font-semibold">
                {item.ja} / {item.en}
              </legend>
              <label className="text-xs">
                日本語
                <textarea
                  name={`items.${item.key}.ja`}
                  defaultValue={report.items[item.key].ja}
                  rows={3}
                  className="input mt-1 w-full"
                />
              </label>
              <label className="text-xs">
                English
                <textarea
                  name={`items.${item.key}.en`}
                  defaultValue={report.items[item.key].en}
                  rows={3}
                  className="input mt-1 w-full"
                />
              </label>
            </fieldset>
          ))}
          {formErrors.length > 0 ? (
            <p role="alert" className="text-sm text-red-700">
              {formErrors.join(" ")}
            </p>
          ) : null}
          <button type="submit" className="btn-primary">
            {t("report.save", { next: report.version + 1 })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
