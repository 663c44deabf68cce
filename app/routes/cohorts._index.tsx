// Saved cohorts, newest first. Anyone who works the incident may read them (agents land here from an account's
// "saved cohorts"); building one needs cohorts:build.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { pageTitle } from "~/i18n/fixed-t";
import { listCohorts } from "~/incidents/cohorts/cohort-members.server";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "cohorts:list.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const cohorts = await listCohorts({ limit: 200 });
  return { cohorts, canBuild: roleHasPermission(ctx.staff.role, "cohorts:build") };
}

export default function Cohorts() {
  const { cohorts, canBuild } = useLoaderData<typeof loader>();
  const { t } = useTranslation("cohorts");
  const language = usePageLanguage();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t("list.title")}</h1>
          <p className="text-sm text-slate-600">{t("list.intro")}</p>
        </div>
        {canBuild ? (
          <Link to="/cohorts/new" className="btn-primary" data-testid="build-cohort">
            {t("list.build")}
          </Link>
        ) : null}
      </div>
      <section className="card">
        {cohorts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("list.none")}</p>
        ) : (
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-3">{t("list.name")}</th>
                <th className="py-1 pr-3">{t("list.incident")}</th>
                <th className="py-1 pr-3">{t("list.accounts")}</th>
                <th className="py-1 pr-3">{t("list.saved")}</th>
                <th className="py-1">{t("list.by")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {cohorts.map((c) => (
                <tr key={c.id} data-testid="cohort-row">
                  <td className="py-1 pr-3">
                    <Link className="underline" to={`/cohorts/${c.id}`}>
                      {c.name}
                    </Link>
                  </td>
                  <td className="py-1 pr-3">{c.incidentCode ?? "—"}</td>
                  <td className="py-1 pr-3">{formatCount(c.memberCount, language)}</td>
                  <td className="py-1 pr-3 text-xs">{formatJst(c.createdAt, language)}</td>
                  <td className="py-1">{c.createdByName ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
