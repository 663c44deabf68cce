// The case board of one incident: every affected account's case, filtered by status or assignee, oldest first, each a
// link to the account view where the case is worked.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountStatusBadge, CaseStatusBadge } from "~/accounts/ui/badges";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import type { CaseStatus } from "~/generated/prisma/enums";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { CASE_FLOW } from "~/incidents/case-flow";
import { loadCaseBoard } from "~/incidents/cases-queries.server";
import { listCohorts } from "~/incidents/cohorts/cohort-members.server";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "incidents:cases.pageTitle") }];
  const language = languageOfMatches(matches);
  const title = fixedT(language, "incidents")("cases.pageTitleOf", { code: data.board.incident.code });
  return [{ title: `${title} · ${fixedT(language)("appName")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const statusParam = url.searchParams.get("status");
  const status = (CASE_FLOW as readonly string[]).includes(statusParam ?? "") ? (statusParam as CaseStatus) : null;
  const assigneeParam = url.searchParams.get("assignee");
  const assignee = assigneeParam === "me" ? ctx.staff.id : assigneeParam;
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  try {
    const board = await loadCaseBoard(params.incidentId ?? "", {
      status,
      assignee,
      page: Number.isFinite(page) ? page : 1,
    });
    const cohorts = await listCohorts({ incidentId: board.incident.id, limit: 50 });
    return { board, cohorts, filter: { status, assignee: assigneeParam ?? "" } };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

export default function CaseBoard() {
  const { board, cohorts, filter } = useLoaderData<typeof loader>();
  const { t } = useTranslation("incidents");
  const language = usePageLanguage();
  const pageHref = (page: number) => {
    const params = new URLSearchParams();
    if (filter.status) params.set("status", filter.status);
    if (filter.assignee) params.set("assignee", filter.assignee);
    params.set("page", String(page));
    return `?${params}`;
  };
  return (
    <div className="space-y-6">
      <h2 className="text-xl font-semibold">{t("cases.title")}</h2>
      <section className="card space-y-3">
        <ul className="flex flex-wrap gap-4 text-sm" data-testid="case-counts">
          {CASE_FLOW.map((status) => (
            <li key={status}>
              {t(`cases.status.${status}`)}:{" "}
              <span className="font-semibold">{formatCount(board.byStatus[status], language)}</span>
            </li>
          ))}
        </ul>
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="label">{t("cases.statusFilter")}</span>
            <select name="status" defaultValue={filter.status ?? ""} className="input mt-1">
              <option value="">{t("cases.any")}</option>
              {CASE_FLOW.map((s) => (
                <option key={s} value={s}>
                  {t(`cases.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="label">{t("cases.assigneeFilter")}</span>
            <select name="assignee" defaultValue={filter.assignee} className="input mt-1">
              <option value="">{t("cases.anyone")}</option>
              <option value="me">{t("cases.me")}</option>
              <option value="none">{t("cases.unassigned")}</option>
            </select>
          </label>
          <button type="submit" className="btn-secondary">
            {t("cases.filter")}
          </button>
        </Form>
        <p className="text-sm text-slate-600">
          {t("cases.summary", {
            count: board.total,
            total: formatCount(board.total, language),
            page: board.page,
            pages: board.pages,
          })}
        </p>
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-3">{t("cases.account")}</th>
              <th className="py-1 pr-3">{t("cases.case")}</th>
              <th className="py-1 pr-3">{t("cases.assignee")}</th>
              <th className="py-1">{t("cases.opened")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {board.cases.map((c) => (
              <tr key={c.id} data-testid="case-row">
                <td className="py-1 pr-3">
                  <Link className="font-mono underline" to={`/accounts/${c.customer.id}`}>
                    {c.customer.displayId}
                  </Link>{" "}
                  {c.customer.name} <AccountStatusBadge status={c.customer.status} />
                </td>
                <td className="py-1 pr-3">
                  <CaseStatusBadge status={c.status} />
                </td>
                <td className="py-1 pr-3">{c.assignee ?? "—"}</td>
                <td className="py-1 text-xs">{formatJst(c.openedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav className="flex gap-3 text-sm" aria-label={t("cases.pagesLabel")}>
          {board.page > 1 ? (
            <Link className="underline" to={pageHref(board.page - 1)}>
              {t("cases.previous")}
            </Link>
          ) : null}
          {board.page < board.pages ? (
            <Link className="underline" to={pageHref(board.page + 1)}>
              {t("cases.next")}
            </Link>
          ) : null}
        </nav>
      </section>
      <section className="card space-y-2">
        <h2 className="font-semibold">{t("cases.cohortsTitle")}</h2>
        {cohorts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("cases.noCohorts")}</p>
        ) : (
          <ul className="text-sm">
            {cohorts.map((c) => (
              <li key={c.id}>
                <Link className="underline" to={`/cohorts/${c.id}`}>
                  {c.name}
                </Link>{" "}
                {t("cases.cohortLine", {
                  members: formatCount(c.memberCount, language),
                  at: formatJst(c.createdAt, language),
                })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
