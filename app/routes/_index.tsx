import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission } from "~/auth/permissions";
import { listLeadMailProblems } from "~/detect/lead-mail-problems.server";
import { LeadMailProblems } from "~/detect/ui/lead-mail-problems";
import { loadIncidentFigures } from "~/incidents/incident-figures.server";
import { isLanguage } from "~/i18n/config";
import type incidentsEn from "~/i18n/locales/en/incidents";
import { pageTitle } from "~/i18n/fixed-t";
import { formatCount, formatJst, formatYen } from "~/lib/format";
import { summariseUncertainMail } from "~/notify/uncertain-summary.server";

export const permission = "console:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "incidents:home.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const seesAlerts = roleHasPermission(ctx.staff.role, "alerts:view");
  const [figures, uncertainMail, leadMail] = await Promise.all([
    loadIncidentFigures(),
    summariseUncertainMail(),
    seesAlerts ? listLeadMailProblems() : { count: 0, oldestFirst: [] },
  ]);
  return { ...figures, uncertainMail, leadMail, canResend: roleHasPermission(ctx.staff.role, "notify:send") };
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="card">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="mt-1 text-3xl font-semibold tracking-tight" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

type UncertainSummary = ReturnType<typeof useLoaderData<typeof loader>>["uncertainMail"];

/** Where a new link or code is issued: a reset or a recovery code from the account, a one-time link by an admin. */
function secretHref(secret: UncertainSummary["secrets"]["oldestFirst"][number]): string {
  return secret.kind === "customer" ? `/accounts/${secret.customerId}/recovery` : `/admin/staff/${secret.staffId}`;
}

function SecretsInDoubt({ secrets }: { secrets: UncertainSummary["secrets"] }) {
  const { t } = useTranslation("common");
  if (secrets.count === 0) return null;
  const more = secrets.count - secrets.oldestFirst.length;
  return (
    <div className="mt-3" data-testid="uncertain-secrets">
      <h3 className="text-sm font-semibold text-amber-900">
        {t("uncertainMail.secrets.title", { count: secrets.count })}
      </h3>
      <p className="mt-1 text-sm text-amber-900">{t("uncertainMail.secrets.whatToDo")}</p>
      <ul className="mt-1 space-y-1 text-sm">
        {secrets.oldestFirst.map((secret) => {
          const since = formatJst(secret.since);
          const text =
            secret.kind === "customer"
              ? t(secret.template === "recovery-code" ? "uncertainMail.secrets.code" : "uncertainMail.secrets.reset", {
                  account: secret.displayId,
                  since,
                })
              : t("uncertainMail.secrets.staffLink", { name: secret.displayName, since });
          return (
            <li key={`${secretHref(secret)}:${secret.since}`}>
              <Link className="underline" to={secretHref(secret)}>
                {text}
              </Link>
            </li>
          );
        })}
        {more > 0 ? <li>{t("uncertainMail.secrets.more", { count: more })}</li> : null}
      </ul>
    </div>
  );
}

/** Mail that may or may not have arrived: shown until someone has looked, with what to do about it. */
function UncertainMail({ summary }: { summary: UncertainSummary }) {
  const { t } = useTranslation("common");
  if (summary.total === 0) return null;
  return (
    <section className="card border-amber-300 bg-amber-50" role="status" data-testid="uncertain-mail">
      <h2 className="font-semibold text-amber-900">{t("uncertainMail.title", { count: summary.total })}</h2>
      <p className="mt-1 text-sm text-amber-900">{t("uncertainMail.explanation")}</p>
      {summary.groups.length > 0 ? (
        <>
          <p className="mt-1 text-sm text-amber-900">{t("uncertainMail.whatToDo")}</p>
          <ul className="mt-2 space-y-1 text-sm">
            {summary.groups.map((group) => {
              const since = formatJst(group.oldest);
              return (
                <li key={group.incidentId ?? "none"}>
                  {group.incidentId ? (
                    <Link className="underline" to={`/notifications/incidents/${group.incidentId}`}>
                      {t("uncertainMail.incident", { code: group.incidentCode ?? "", count: group.count, since })}
                    </Link>
                  ) : (
                    <Link className="underline" to="/notifications">
                      {t("uncertainMail.noIncident", { count: group.count, since })}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <SecretsInDoubt secrets={summary.secrets} />
    </section>
  );
}

function LeadMailOnDashboard({ figures }: { figures: ReturnType<typeof useLoaderData<typeof loader>> }) {
  return (
    <LeadMailProblems
      count={figures.leadMail.count}
      mails={figures.leadMail.oldestFirst}
      canResend={figures.canResend}
      redirectTo="/"
    />
  );
}

export default function IncidentHome() {
  const figures = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("incidents");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  if (!figures.incident) {
    return (
      <div className="space-y-6">
        <UncertainMail summary={figures.uncertainMail} />
        <LeadMailOnDashboard figures={figures} />
        <div className="card">
          <h1 className="text-xl font-semibold">{t("home.noIncident")}</h1>
          <p className="mt-2 text-slate-600">
            <Trans t={t} i18nKey="home.seedHint" components={{ code: <code /> }} />
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          {figures.incident.code} · {t("home.opened", { at: formatJst(figures.incident.openedAt, language) })} ·{" "}
          {t(`incidentStatus.${figures.incident.status as keyof typeof incidentsEn.incidentStatus}`)}
        </p>
        <h1 className="text-2xl font-bold">{figures.incident.title}</h1>
      </div>
      <UncertainMail summary={figures.uncertainMail} />
      <LeadMailOnDashboard figures={figures} />
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Figure label={t("home.victims")} value={formatCount(figures.victims, language)} testId="figure-victims" />
        <Figure label={t("home.stolen")} value={formatYen(figures.stolenYen, language)} testId="figure-stolen" />
        <Figure label={t("home.reversed")} value={formatYen(figures.reversedYen, language)} testId="figure-reversed" />
        <Figure label={t("home.frozen")} value={formatCount(figures.frozenAccounts, language)} testId="figure-frozen" />
      </dl>
      <section className="card">
        <h2 className="font-semibold">{t("home.casesByStatus")}</h2>
        <ul className="mt-2 flex flex-wrap gap-4 text-sm">
          {Object.entries(figures.casesByStatus).map(([status, count]) => (
            <li key={status}>
              <span className="font-medium">{t(`caseStatus.${status as keyof typeof incidentsEn.caseStatus}`)}</span>:{" "}
              {formatCount(count, language)}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
