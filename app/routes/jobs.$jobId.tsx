// One bulk job: a live progress bar (the page re-reads its loader every second while the job is queued or running),
// the counters, what the dry run promised, the items that failed and why, and — for a bulk reversal — the
// reconciliation report: stolen against returned, per account and in total. Cancel (before the next batch) and
// resume (after a failure) go through the spine.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { loadJobView } from "~/jobs/bulk-job-views.server";
import { cancelJob, resumeJob } from "~/jobs/job-runner.server";
import { yen } from "~/ledger/money";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/form.server";

export const permission: Permission = "bulk:run";

export const meta: MetaFunction = () => [{ title: "Bulk job · Firebreak" }];

const POLL_INTERVAL_MS = 1000;
const REPORT_ROWS = 200;

const JobActionFields = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel"), reason: z.string().max(1000).optional() }),
  z.object({ intent: z.literal("resume") }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  const withReport = new URL(request.url).searchParams.get("report") === "live";
  const view = await loadJobView(params.jobId ?? "", { withReport });
  if (!view) throw new Response("There is no such job.", { status: 404 });
  return json(view);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const jobId = params.jobId ?? "";
  const parsed = JobActionFields.safeParse(Object.fromEntries(await readForm(request, ctx.staff.language)));
  if (!parsed.success) return json({ error: "Choose cancel or resume." }, { status: 400 });
  try {
    if (parsed.data.intent === "cancel") {
      const status = await cancelJob(ctx, { jobId, reason: parsed.data.reason });
      return redirectWithToast(`/jobs/${jobId}`, {
        kind: "info",
        message: status === "CANCELLED" ? "Job cancelled." : "The job stops before its next batch.",
      });
    }
    await resumeJob(ctx, { jobId });
    return redirectWithToast(`/jobs/${jobId}`, { kind: "success", message: "Job queued again: it resumes shortly." });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ error: error.message }, { status: error.status });
  }
}

export default function JobPage() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { progress, totals, report } = view;
  const live = progress.status === "QUEUED" || progress.status === "RUNNING";
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to="/jobs" className="underline">
            Bulk jobs
          </Link>{" "}
          · started by {view.createdBy} on {formatJst(progress.createdAt)}
        </p>
        <h1 className="text-2xl font-bold">
          {view.kindLabel} <StatusBadge status={progress.status} testId="job-status" />
        </h1>
      </div>
      {actionData?.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {actionData.error}
        </p>
      ) : null}

      <section className="card space-y-3">
        {/* A native progress element: no inline style, which the console's CSP forbids. */}
        <progress
          className="block h-4 w-full appearance-none overflow-hidden rounded bg-slate-200 [&::-moz-progress-bar]:bg-emerald-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-emerald-600"
          value={progress.percent}
          max={100}
          aria-label="Job progress"
          data-testid="job-progress-bar"
        >
          {progress.percent}%
        </progress>
        <p className="text-sm" data-testid="job-progress">
          {progress.itemsDone.toLocaleString("en-US")} of {progress.itemsTotal.toLocaleString("en-US")} done (
          {progress.percent}%): {progress.itemsSucceeded.toLocaleString("en-US")} succeeded,{" "}
          {progress.itemsSkipped.toLocaleString("en-US")} skipped, {progress.itemsFailed.toLocaleString("en-US")} failed
          {view.isReversal ? ` · ${yen(progress.amountDone)} moved` : ""} · {progress.batchesCommitted} batches
        </p>
        {progress.stalled ? (
          <p className="text-sm text-amber-900">
            The runner working on this job stopped answering (last heartbeat {formatJst(progress.heartbeatAt)}). Another
            runner resumes it when its lease expires; nothing is done twice.
          </p>
        ) : null}
        {progress.lastError && progress.status === "FAILED" ? (
          <p className="text-sm text-red-800" role="alert">
            Stopped: {progress.lastError}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {live && !progress.cancelRequested ? (
            <Form method="post" className="flex gap-2">
              <input name="reason" className="input" placeholder="Why cancel? (optional)" />
              <button type="submit" name="intent" value="cancel" className="btn-secondary">
                Cancel job
              </button>
            </Form>
          ) : null}
          {progress.status === "FAILED" ? (
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="btn-primary">
                Resume
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      {totals ? (
        <section className="card text-sm">
          <h2 className="font-semibold">What the dry run promised</h2>
          <p className="mt-1">
            {totals.accounts.toLocaleString("en-US")} accounts, {totals.charges.toLocaleString("en-US")} charges,{" "}
            {yen(totals.yen)}: {totals.purchases.toLocaleString("en-US")} purchases ({yen(totals.purchaseYen)}) back to
            wallets, then {totals.topUps.toLocaleString("en-US")} top-ups ({yen(totals.topUpYen)}) back to the cards.
          </p>
        </section>
      ) : null}

      {view.failed.length > 0 ? (
        <section className="card space-y-2">
          <h2 className="font-semibold">Failed items</h2>
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

      {view.isReversal ? (
        report ? (
          <section className="card space-y-3" data-testid="reconciliation">
            <h2 className="font-semibold">Reconciliation: stolen against returned</h2>
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
              <div>
                <dt className="text-slate-500">Stolen (top-ups in the window)</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-stolen">
                  {yen(report.totals.stolenYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Returned to the cards</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-returned">
                  {yen(report.totals.returnedYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Outstanding</dt>
                <dd className="text-lg font-semibold" data-testid="reconciliation-outstanding">
                  {yen(report.totals.outstandingYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Purchases reversed</dt>
                <dd className="text-lg font-semibold">
                  {yen(report.totals.purchaseReversedYen)} of {yen(report.totals.purchaseYen)}
                </dd>
              </div>
            </dl>
            <p className="text-sm text-slate-600">
              {report.totals.accountsSettled.toLocaleString("en-US")} of{" "}
              {report.totals.accounts.toLocaleString("en-US")} accounts settled;{" "}
              {report.totals.accountsOutstanding.toLocaleString("en-US")} with money outstanding
              {report.accounts.length > REPORT_ROWS ? ` (the ${REPORT_ROWS} largest gaps first)` : ""}. As of{" "}
              {formatJst(report.generatedAt)}.
            </p>
            <table className="min-w-full text-sm">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">Account</th>
                  <th className="py-1 pr-4 text-right font-medium">Stolen</th>
                  <th className="py-1 pr-4 text-right font-medium">Returned</th>
                  <th className="py-1 pr-4 text-right font-medium">Outstanding</th>
                  <th className="py-1 pr-4 text-right font-medium">Purchases reversed</th>
                  <th className="py-1 pr-4 text-right font-medium">Wallet</th>
                  <th className="py-1 font-medium">Failures</th>
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
            The reconciliation report is written when the job finishes.{" "}
            <Link to="?report=live" className="underline">
              Compute it now
            </Link>
            .
          </p>
        )
      ) : null}
    </div>
  );
}
