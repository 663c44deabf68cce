// Early-warning alerts, newest first: what each detector saw, against what it usually sees at that time of the week.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { listAlerts } from "~/detect/alerts.server";
import { listLeadMailProblems } from "~/detect/lead-mail-problems.server";
import { LeadMailProblems } from "~/detect/ui/lead-mail-problems";
import type { Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "alerts:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "detect:title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const [alerts, leadMail] = await Promise.all([listAlerts(), listLeadMailProblems()]);
  return {
    leadMail,
    canResend: roleHasPermission(ctx.staff.role, "notify:send"),
    alerts: alerts.map((a) => ({
      id: a.id,
      detector: a.detector,
      severity: a.peakSeverity,
      raisedAt: a.raisedAt.toISOString(),
      value: a.value,
      usual: (a.baseline as { centre?: number } | null)?.centre ?? null,
      ended: a.endedAt !== null,
      acknowledged: a.acknowledgedAt !== null,
    })),
  };
}

export default function Alerts() {
  const { alerts, leadMail, canResend } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("detect");
  const language = i18n.language as Language;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
        <Link to="/duty" className="text-sm underline">
          {t("duty.link")}
        </Link>
      </div>
      <LeadMailProblems
        count={leadMail.count}
        mails={leadMail.oldestFirst}
        canResend={canResend}
        redirectTo="/alerts"
      />
      <section className="card">
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-3">{t("column.raised")}</th>
                <th className="py-1 pr-3">{t("column.detector")}</th>
                <th className="py-1 pr-3">{t("column.severity")}</th>
                <th className="py-1 pr-3">{t("column.value")}</th>
                <th className="py-1 pr-3">{t("column.baseline")}</th>
                <th className="py-1">{t("column.state")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {alerts.map((a) => (
                <tr key={a.id} data-testid="alert-row">
                  <td className="py-1 pr-3">
                    <Link className="underline" to={`/alerts/${a.id}`}>
                      {formatJst(a.raisedAt, language)}
                    </Link>
                  </td>
                  <td className="py-1 pr-3">{t(`detector.${a.detector}` as never, { defaultValue: a.detector })}</td>
                  <td className="py-1 pr-3">{t(`severity.${a.severity}`)}</td>
                  <td className="py-1 pr-3">{formatCount(a.value, language)}</td>
                  <td className="py-1 pr-3">{a.usual === null ? "—" : formatCount(a.usual, language)}</td>
                  <td className="py-1">
                    {a.acknowledged ? t("state.acknowledged") : a.ended ? t("state.ended") : t("state.open")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
