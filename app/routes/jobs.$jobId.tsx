// One bulk job: a live progress bar (the page re-reads its loader every second while the job is queued or running),
// the counters, what the dry run promised, the items that failed and why, and — for a bulk reversal — the
// reconciliation report: stolen against returned, per account and in total. Cancel (before the next batch) and
// resume (after a failure) go through the spine.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { useAutomaticRefresh } from "~/components/automatic-refresh";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { loadJobView } from "~/jobs/bulk-job-views.server";
import { translateJobKind } from "~/jobs/job-kind-label";
import { cancelJob, resumeJob } from "~/jobs/job-controls.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { DetailHeader } from "~/components/detail-header";
import { formatCount, formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/form.server";
import { formText } from "~/lib/form-text";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "bulk:run";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "jobs:detail.pageTitle") }];

const POLL_INTERVAL_MS = 1000;
const REPORT_ROWS = 200;

const JobActionFields = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel"), reason: formText({ max: 1000, multiline: true }).optional() }),
  z.object({ intent: z.literal("resume") }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "jobs");
  const withReport = new URL(request.url).searchParams.get("report") === "live";
  const view = await loadJobView(params.jobId ?? "", { withReport });
  if (!view) throw new Response(t("detail.notFound"), { status: 404 });
  return { ...view, kindLabel: translateJobKind(t, view.progress.kind, view.kindLabel) };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const jobId = params.jobId ?? "";
  const t = translatorFor(ctx.staff.language, "jobs");
  const parsed = JobActionFields.safeParse(Object.fromEntries(await readForm(request, ctx.staff.language)));
  if (!parsed.success) return data({ error: t("detail.chooseIntent") }, { status: 400 });
  try {
    if (parsed.data.intent === "cancel") {
      const status = await cancelJob(ctx, { jobId, reason: parsed.data.reason });
      return redirectWithToast(`/jobs/${jobId}`, {
        kind: "info",
        message: status === "CANCELLED" ? t("toast.cancelled") : t("toast.stopsBeforeNextBatch"),
      });
    }
    await resumeJob(ctx, { jobId });
    return redirectWithToast(`/jobs/${jobId}`, { kind: "success", message: t("toast.resumed") });
  } catch (error) {
    if (error instanceof StepUpRequiredError) {
      // Stopping a bulk freeze or a cohort reset (refused and audited by the spine): confirm with a code, come back.
      return redirect(`/step-up?redirectTo=${encodeURIComponent(`/jobs/${jobId}`)}`);
    }
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function JobPage() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { progress, totals, report } = view;
  const live = progress.status === "QUEUED" || progress.status === "RUNNING";
  const { t, i18n } = useTranslation("jobs");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const yen = (amount: number) => formatYen(amount, language);
  const count = (value: number) => formatCount(value, language);
  useAutomaticRefresh(live, POLL_INTERVAL_MS);

  return (
    <div className="space-y-6">
      <DetailHeader
        context={
          <>
            <Link to="/jobs" className="underline">
              {t("title")}
            </Link>{" "}
            {t("detail.startedBy", { name: view.createdBy, at: formatJst(progress.createdAt, language) })}
          </>
        }
        title={
          <>
            {view.kindLabel} <StatusBadge status={progress.status} testId="job-status" />
          </>
        }
        error={actionData?.error}
      />

      <section className="card space-y-3">
        {/* A native progress element: no inline style, which the console's CSP forbids. */}
        <progress
          className="block h-4 w-full appearance-none overflow-hidden rounded bg-slate-200 [&::-moz-progress-bar]:bg-emerald-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-emerald-600"
          value={progress.percent}
          max={100}
          aria-label={t("detail.progressLabel")}
          data-testid="job-progress-bar"
        >
          {progress.percent}%
        </progress>
        <p className="text-sm" data-testid="job-progress">
          {t("detail.progress", {
            done: count(progress.itemsDone),
            total: count(progress.itemsTotal),
            percent: progress.percent,
            succeeded: count(progress.itemsSucceeded),
            skipped: count(progress.itemsSkipped),
            failed: count(progress.itemsFailed),
            moved: view.isReversal ? t("detail.moved", { amount: yen(progress.amountDone) }) : "",
            batches: progress.batchesCommitted,
          })}
        </p>
        {progress.stalled ? (
          <p className="text-sm text-amber-900">
            {t("detail.stalled", { at: formatJst(progress.heartbeatAt, language) })}
          </p>
        ) : null}
        {progress.lastError && progress.status === "FAILED" ? (
          <p className="text-sm text-red-800" role="alert">
            {t("detail.stopped", { error: progress.lastError })}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {live && !progress.cancelRequested ? (
            <Form method="post" className="flex gap-2">
              <input name="reason" className="input" placeholder={t("detail.whyCancel")} />
              <button type="submit" name="intent" value="cancel" className="btn-secondary">
                {t("detail.cancel")}
              </button>
            </Form>
          ) : null}
          {/* A bulk freeze: once its accounts are frozen, the dry run it came from refunds their purchases too. */}
          {view.dryRunHref && !live ? (
            <Link to={view.dryRunHref} className="btn-primary" data-testid="job-dry-run-again">
              {t("detail.dryRunAgain")}
            </Link>
          ) : null}
          {progress.status === "FAILED" ? (
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="btn-primary">
                {t("detail.resume")}
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      {totals ? (
        <section className="card text-sm">
          <h2 className="font-semibold">{t("detail.dryRunTitle")}</h2>
          <p className="mt-1">
            {t("detail.dryRun", {
              accounts: count(totals.accounts),
              charges: count(totals.charges),
              total: yen(totals.yen),
              purchases: count(totals.purchases),
              purchaseYen: yen(totals.purchaseYen),
              topUps: count(totals.topUps),
              topUpYen: yen(totals.topUpYen),
            })}
          </p>
          {/* Jobs confirmed before the dry run counted them have no such figure. */}
          {totals.unsecuredCharges ? (
            <p className="mt-1 text-amber-900" data-testid="job-unsecured-at-start">
              {t("detail.unsecuredAtStart", {
                n: count(totals.unsecuredCharges),
                amount: yen(totals.unsecuredYen),
                reversed: yen(totals.toReverseYen),
              })}
            </p>
          ) : null}
        </section>
      ) : null}

      {view.failed.length > 0 ? (
        <section className="card space-y-2">
          <h2 className="font-semibold">{t("detail.failedItems")}</h2>
          <ul className="space-y-1 text-sm" data-testid="failed-items">
            {view.failed.map((f) => (
              <li key={f.subjectId}>
                {f.customerId ? (
                  <Link to={`/accounts/${f.customerId}/reverse`} className="underline">
                    {f.displayId ?? f.customerId}
                  </Link>
                ) : null}{" "}
                {f.amount !== null ? yen(f.amount) : ""} — {f.errorCode}: {f.errorMessage}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.notSecured.length > 0 ? (
        <section className="card space-y-2">
          <h2 className="font-semibold">{t("detail.notSecuredItems")}</h2>
          <p className="text-sm text-slate-600">{t("detail.notSecuredHint")}</p>
          <ul className="space-y-1 text-sm" data-testid="not-secured-items">
            {view.notSecured.map((f) => (
              <li key={f.subjectId}>
                {f.customerId ? (
                  <Link to={`/accounts/${f.customerId}/reverse?charge=${f.subjectId}`} className="underline">
                    {f.displayId ?? f.customerId}
                  </Link>
                ) : null}{" "}
                {f.amount !== null ? yen(f.amount) : ""} — {f.errorCode}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.isReversal ? (
        report ? (
          <section className="card space-y-3" data-testid="reconciliation">
            <h2 className="font-semibold">{t("detail.reconciliationTitle")}</h2>
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
              <div>
                <dt className="text-slate-500">{t("detail.stolenWindow")}</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-stolen">
                  {yen(report.totals.stolenYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("detail.returnedToCards")}</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-returned">
                  {yen(report.totals.returnedYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("detail.outstanding")}</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-outstanding">
                  {yen(report.totals.outstandingYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("detail.purchasesReversed")}</dt>
                <dd className="text-lg font-semibold">
                  {t("detail.ofAmount", {
                    done: yen(report.totals.purchaseReversedYen),
                    total: yen(report.totals.purchaseYen),
                  })}
                </dd>
              </div>
            </dl>
            <p className="text-sm text-slate-600">
              {t("detail.settled", {
                settled: count(report.totals.accountsSettled),
                accounts: count(report.totals.accounts),
                outstanding: count(report.totals.accountsOutstanding),
                largest: report.accounts.length > REPORT_ROWS ? t("detail.largestFirst", { rows: REPORT_ROWS }) : "",
                at: formatJst(report.generatedAt, language),
              })}
            </p>
            <table className="min-w-full text-sm">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">{t("detail.account")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("detail.stolen")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("detail.returned")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("detail.outstanding")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("detail.purchasesReversed")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("detail.wallet")}</th>
                  <th className="py-1 font-medium">{t("detail.failures")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {[...report.accounts]
                  .sort((a, b) => b.outstandingYen - a.outstandingYen || a.displayId.localeCompare(b.displayId))
                  .slice(0, REPORT_ROWS)
                  .map((a) => (
                    <tr key={a.customerId}>
                      <td className="py-1 pr-4">
                        <Link to={`/accounts/${a.customerId}/reverse`} className="underline">
                          {a.displayId}
                        </Link>
                      </td>
                      <td className="py-1 pr-4 text-right tabular-nums">{yen(a.stolenYen)}</td>
                      <td className="py-1 pr-4 text-right tabular-nums">{yen(a.returnedYen)}</td>
                      <td className={`py-1 pr-4 text-right tabular-nums ${a.outstandingYen ? "text-red-800" : ""}`}>
                        {yen(a.outstandingYen)}
                      </td>
                      <td className="py-1 pr-4 text-right tabular-nums">
                        {yen(a.purchaseReversedYen)} / {yen(a.purchaseYen)}
                      </td>
                      <td className="py-1 pr-4 text-right tabular-nums">{yen(a.walletBalance)}</td>
                      <td className="py-1">{a.failureCodes.join(", ")}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        ) : (
          <p className="text-sm">
            {t("detail.reportLater")}{" "}
            <Link to="?report=live" className="underline">
              {t("detail.computeNow")}
            </Link>
          </p>
        )
      ) : null}
    </div>
  );
}
