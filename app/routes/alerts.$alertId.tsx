// One alert: what raised it, the accounts, devices, IPs and stores behind it, and what a lead does with it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { DETECTORS } from "~/detect/definitions";
import { MINUTE_MS } from "~/detect/events";
import { acknowledgeAlert, createCohortFromAlert, getAlert, linkAlertToIncident } from "~/detect/alerts.server";
import { leadMailProblemsOfAlert } from "~/detect/lead-mail-problems.server";
import { LeadMailProblems } from "~/detect/ui/lead-mail-problems";
import type { Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount, formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "alerts:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "detect:title") }];

const ALERT_ID = z.string().uuid();
const EVIDENCE_SHOWN = 50;

const AlertActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("acknowledge") }),
  z.object({ intent: z.literal("link"), incidentId: z.string().uuid("detect:errors.incidentNotFound") }),
  z.object({ intent: z.literal("cohort") }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const id = ALERT_ID.safeParse(params.alertId);
  const found = id.success ? await getAlert(id.data) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  const { alert, evidence, incidents, cohort } = found;
  const leadMailProblems = await leadMailProblemsOfAlert(alert.id);
  return {
    leadMailProblems,
    canResend: roleHasPermission(ctx.staff.role, "notify:send"),
    alert: {
      id: alert.id,
      detector: alert.detector,
      version: alert.version,
      severity: alert.peakSeverity,
      minute: alert.minute.toISOString(),
      raisedAt: alert.raisedAt.toISOString(),
      value: alert.value,
      usual: (alert.baseline as { centre?: number } | null)?.centre ?? null,
      acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
      incidentId: alert.incidentId,
    },
    evidence: {
      accounts: { total: evidence.accounts.length, shown: evidence.accounts.slice(0, EVIDENCE_SHOWN) },
      devices: { total: evidence.devices.length, shown: evidence.devices.slice(0, EVIDENCE_SHOWN) },
      ips: { total: evidence.ips.length, shown: evidence.ips.slice(0, EVIDENCE_SHOWN) },
      stores: { total: evidence.stores.length, shown: evidence.stores.slice(0, EVIDENCE_SHOWN) },
    },
    incidents,
    cohort,
    canManage: roleHasPermission(ctx.staff.role, "alerts:manage"),
    canBuildCohort: roleHasPermission(ctx.staff.role, "cohorts:build"),
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "detect");
  const id = ALERT_ID.safeParse(params.alertId);
  if (!id.success) return data({ error: t("errors.notFound") }, { status: 404 });
  const submission = await parseForm(request, AlertActionSchema, ctx.staff.language);
  if (submission.status !== "success") return data({ error: t("errors.badRequest") }, { status: 400 });
  const back = `/alerts/${id.data}`;
  try {
    switch (submission.value.intent) {
      case "acknowledge":
        await acknowledgeAlert(ctx, id.data);
        return redirectWithToast(back, { kind: "success", message: t("toast.acknowledged") });
      case "link":
        await linkAlertToIncident(ctx, id.data, submission.value.incidentId);
        return redirectWithToast(back, { kind: "success", message: t("toast.linked") });
      case "cohort": {
        const cohort = await createCohortFromAlert(ctx, id.data);
        return redirectWithToast(`/cohorts/${cohort.id}`, { kind: "success", message: t("toast.cohortCreated") });
      }
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

function EvidenceList({ label, items }: { label: string; items: { total: number; shown: string[] } }) {
  const { t } = useTranslation("detect");
  return (
    <div>
      <h3 className="text-sm font-semibold">{label}</h3>
      {items.total === 0 ? (
        <p className="text-sm text-slate-500">{t("detail.none")}</p>
      ) : (
        <ul className="max-h-48 overflow-auto font-mono text-xs">
          {items.shown.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default function AlertPage() {
  const { alert, evidence, incidents, cohort, canManage, canBuildCohort, leadMailProblems, canResend } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("detect");
  const language = i18n.language as Language;
  const detector = t(`detector.${alert.detector}` as never, { defaultValue: alert.detector });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("detail.title", { detector })}</h1>
        <p className="text-sm text-slate-600">
          {t("detail.version", { version: alert.version })} · {t(`severity.${alert.severity}`)} · {t("detail.minute")}{" "}
          {formatJst(alert.minute, language)} · {t("column.value")} {formatCount(alert.value, language)} ·{" "}
          {t("column.baseline")} {alert.usual === null ? "—" : formatCount(alert.usual, language)}
        </p>
        <AlertSummary alert={alert} accounts={evidence.accounts.total} language={language} />
      </div>
      {actionData && "error" in actionData ? (
        <p role="alert" className="text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      <LeadMailProblems
        count={leadMailProblems.length}
        mails={leadMailProblems}
        canResend={canResend}
        redirectTo={`/alerts/${alert.id}`}
        onAlertPage
      />
      <section className="card grid gap-4 md:grid-cols-4">
        <h2 className="text-lg font-semibold md:col-span-4">{t("detail.evidence")}</h2>
        <EvidenceList label={t("detail.accounts", { count: evidence.accounts.total })} items={evidence.accounts} />
        <EvidenceList label={t("detail.devices", { count: evidence.devices.total })} items={evidence.devices} />
        <EvidenceList label={t("detail.ips", { count: evidence.ips.total })} items={evidence.ips} />
        <EvidenceList label={t("detail.stores", { count: evidence.stores.total })} items={evidence.stores} />
      </section>
      <section className="card space-y-3">
        <p className="text-sm">
          {t("column.state")}:{" "}
          {alert.acknowledgedAt
            ? `${t("state.acknowledged")} (${formatJst(alert.acknowledgedAt, language)})`
            : t("state.open")}
        </p>
        <p className="text-sm">
          {t("detail.incident")}:{" "}
          {alert.incidentId ? (
            <Link className="underline" to={`/incidents/${alert.incidentId}`}>
              {incidents.find((i) => i.id === alert.incidentId)?.code ?? alert.incidentId}
            </Link>
          ) : (
            t("detail.noIncident")
          )}
        </p>
        {cohort ? (
          <p className="text-sm">
            {t("detail.cohort")}:{" "}
            <Link className="underline" to={`/cohorts/${cohort.id}`}>
              {cohort.name}
            </Link>
          </p>
        ) : null}
        <div className="flex flex-wrap items-end gap-3">
          {canManage && !alert.acknowledgedAt ? (
            <Form method="post">
              <button type="submit" name="intent" value="acknowledge" className="btn-primary" data-testid="ack-alert">
                {t("action.acknowledge")}
              </button>
            </Form>
          ) : null}
          {canManage && incidents.length > 0 ? (
            <Form method="post" className="flex items-end gap-2">
              <select
                name="incidentId"
                className="input"
                aria-label={t("detail.incident")}
                defaultValue={alert.incidentId ?? ""}
              >
                {incidents.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.code} — {i.title}
                  </option>
                ))}
              </select>
              <button type="submit" name="intent" value="link" className="btn-secondary">
                {t("action.link")}
              </button>
            </Form>
          ) : null}
          {canBuildCohort && !cohort && evidence.accounts.total > 0 ? (
            <Form method="post">
              <button type="submit" name="intent" value="cohort" className="btn-secondary" data-testid="alert-cohort">
                {t("action.makeCohort")}
              </button>
            </Form>
          ) : null}
        </div>
      </section>
    </div>
  );
}

/** What the alert counts in words a lead reads at a glance: the window it counted (JST), how many accounts, and the
 *  first thing to do about it. */
function AlertSummary({
  alert,
  accounts,
  language,
}: {
  alert: { detector: string; minute: string; value: number; usual: number | null };
  accounts: number;
  language: Language;
}) {
  const { t } = useTranslation("detect");
  const windowMs = DETECTORS.find((d) => d.key === alert.detector)?.windowMs ?? MINUTE_MS;
  const end = new Date(alert.minute).getTime() + MINUTE_MS;
  const next = t(`next.${alert.detector}` as never, { defaultValue: "" });
  return (
    <div data-testid="alert-summary" className="mt-2 space-y-1 text-sm">
      <p>
        {t("detail.summary", {
          minutes: windowMs / MINUTE_MS,
          from: formatJst(new Date(end - windowMs), language),
          to: formatJst(new Date(end), language),
          accounts: formatCount(accounts, language),
          usual: alert.usual === null ? "—" : formatCount(alert.usual, language),
          value: formatCount(alert.value, language),
        })}
      </p>
      {next ? <p className="font-semibold">{t("detail.next", { next })}</p> : null}
    </div>
  );
}
