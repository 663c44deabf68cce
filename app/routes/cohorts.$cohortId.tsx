// One saved cohort: its filters, who is in it (highest risk first, with the reasons saved with each member) and its id
// for the bulk actions. Immutable: to change it, build a new one from the same filters. A lead who may run bulk
// actions also sees the forced-reset panel (its server side: app/recovery/cohort-reset-form.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { viewCohort } from "~/incidents/cohorts/cohort-view.server";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatCount, formatJst } from "~/lib/format";
import { handleCohortResetAction, loadCohortResetPanel } from "~/recovery/cohort-reset-form.server";
import { COHORT_RESET_INTENT } from "~/recovery/schemas";
import { CohortResetPanel } from "~/recovery/ui/cohort-reset-panel";
import { readForm } from "~/lib/form.server";
import { ScoredAccountsTable } from "~/incidents/cohorts/ui-scored-accounts";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "cohorts:detail.pageTitle") }];
  const language = languageOfMatches(matches);
  const title = fixedT(language, "cohorts")("detail.pageTitleOf", { name: data.cohort.name });
  return [{ title: `${title} · ${fixedT(language)("appName")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const page = Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10);
  try {
    const view = await viewCohort(ctx, params.cohortId ?? "", Number.isFinite(page) ? page : 1, ctx.staff.language);
    return {
      ...view,
      canBuild: roleHasPermission(ctx.staff.role, "cohorts:build"),
      canRunBulk: roleHasPermission(ctx.staff.role, "bulk:run"),
      resetPanel: await loadCohortResetPanel(ctx, view.cohort.id),
    };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, "bulk:run");
  const formData = await readForm(request, ctx.staff.language);
  if (formData.get("intent") !== COHORT_RESET_INTENT) {
    throw new Response(translatorFor(ctx.staff.language, "cohorts")("detail.unknownAction"), { status: 400 });
  }
  return handleCohortResetAction(request, ctx, params.cohortId ?? "", formData);
}

export default function CohortDetail() {
  const { cohort, members, page, pages, filters, canBuild, canRunBulk, resetPanel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("cohorts");
  const language = usePageLanguage();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/cohorts">
            {t("detail.back")}
          </Link>
        </p>
        <h1 className="text-2xl font-bold" data-testid="cohort-name">
          {cohort.name}
        </h1>
        <p className="text-sm text-slate-600">
          {t("detail.summary", {
            members: formatCount(cohort.memberCount, language),
            at: formatJst(cohort.createdAt, language),
          })}
          {cohort.incidentCode ? ` · ${cohort.incidentCode}` : ""}
          {t("detail.id")}
          <code data-testid="cohort-id">{cohort.id}</code>
        </p>
      </div>
      {canRunBulk ? (
        <nav className="flex flex-wrap gap-2" aria-label={t("detail.bulkLabel")}>
          <Link
            className="btn-secondary"
            to={`/reversals/bulk?${new URLSearchParams({ scope: "cohort", cohortId: cohort.id })}`}
            data-testid="cohort-bulk-reverse"
          >
            {t("detail.reverse")}
          </Link>
        </nav>
      ) : null}
      {resetPanel ? (
        <CohortResetPanel
          data={resetPanel}
          lastResult={actionData && actionData.formKey === COHORT_RESET_INTENT ? actionData.result : undefined}
        />
      ) : null}
      <section className="card space-y-1 text-sm">
        <h2 className="font-semibold">{t("detail.filters")}</h2>
        {filters.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        {canBuild && filters.builderQuery ? (
          <Link className="underline" to={`/cohorts/new?${filters.builderQuery}`}>
            {t("detail.runAgain")}
          </Link>
        ) : null}
      </section>
      <section className="card space-y-3">
        <h2 className="font-semibold">{t("detail.members")}</h2>
        <ScoredAccountsTable
          rows={members}
          rowTestId="cohort-member"
          headings={{ score: t("detail.score"), account: t("detail.account"), reasons: t("detail.reasons") }}
        />
        {pages > 1 ? (
          <nav className="flex gap-3 text-sm" aria-label={t("detail.pagesLabel")}>
            {page > 1 ? (
              <Link className="underline" to={`?page=${page - 1}`}>
                {t("detail.previous")}
              </Link>
            ) : null}
            <span>{t("detail.pageOf", { page, pages })}</span>
            {page < pages ? (
              <Link className="underline" to={`?page=${page + 1}`}>
                {t("detail.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
