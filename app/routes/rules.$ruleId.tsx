// One rule version: its condition, its latest backtest (figures and matches per day), and the governed steps —
// backtest (the author or any lead), publish (a second lead), disable (one click after a fresh code).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useAutomaticRefresh } from "~/components/automatic-refresh";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import type { Language } from "~/i18n/config";
import { IntentButton } from "~/components/intent-button";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { DomainError, isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { cancelJob } from "~/jobs/job-controls.server";
import { awaitBacktest, latestBacktestJob, queueBacktest } from "~/risk/backtest-job.server";
import { resultsNoun } from "~/risk/results-kind";
import { disableRule, publishRule } from "~/risk/rules.server";
import { BacktestProgress } from "~/risk/ui/backtest-progress";
import { RuleIntentSchema } from "~/risk/schemas";
import { BacktestResultsPanel } from "~/risk/ui/backtest-results";
import { loadRule } from "~/risk/views.server";
import { parseForm } from "~/lib/form.server";
import { isUuid } from "~/lib/uuid";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "risk:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "risk:title") }];

async function ruleOr404(ruleId: string | undefined) {
  const found = ruleId && isUuid(ruleId) ? await loadRule(ruleId) : null;
  if (!found) throw new Response("There is no such rule.", { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const { rule, backtest } = await ruleOr404(params.ruleId);
  return {
    rule,
    backtest,
    backtestJob: await latestBacktestJob(rule.id),
    // One key per rendering of the backtest button: a resent post queues no second replay (ADR 095).
    backtestKey: newSubmissionKey(),
    viewer: {
      id: ctx.staff.id,
      language: (ctx.staff.language ?? "ja") as Language,
      canDraft: roleHasPermission(ctx.staff.role, "risk:draft"),
      canPublish: roleHasPermission(ctx.staff.role, "risk:publish"),
    },
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const { rule } = await ruleOr404(params.ruleId);
  const t = translatorFor(ctx.staff.language, "risk");
  const submission = await parseForm(request, RuleIntentSchema, ctx.staff.language);
  if (submission.status !== "success") return data({ error: t("validation.unknownAction") }, { status: 400 });
  const here = `/rules/${rule.id}`;
  try {
    switch (submission.value.intent) {
      case "backtest": {
        // Queued for the job runner; a small replay finishes within the wait and the page opens on its figures.
        const { jobId, queued } = await queueBacktest(ctx, rule.id, submission.value.submissionKey);
        const results = queued ? await awaitBacktest(jobId, BACKTEST_WAIT_MS) : null;
        return redirectWithToast(here, {
          kind: "success",
          message: results
            ? t("detail.backtested", {
                matched: results.matched.topUps,
                events: t(`events.${resultsNoun(results.eventKinds)}`),
              })
            : t(queued ? "detail.backtestQueued" : "detail.backtestAlreadyRunning"),
        });
      }
      case "cancel-backtest": {
        const job = await latestBacktestJob(rule.id);
        if (!job || (job.status !== "QUEUED" && job.status !== "RUNNING")) {
          return data({ error: t("progress.nothingToCancel") }, { status: 409 });
        }
        await cancelJob(ctx, { jobId: job.id });
        return redirectWithToast(here, { kind: "success", message: t("detail.backtestCancelRequested") });
      }
      case "publish":
        await publishRule(ctx, rule.id);
        return redirectWithToast(here, {
          kind: "success",
          message: t("detail.published", { ruleKey: rule.ruleKey, version: rule.version }),
        });
      case "disable":
        // Without a fresh code the lead re-enters one and comes back to this page (the spine refuses it anyway).
        await requireStepUp(request, ctx);
        await disableRule(ctx, rule.id, submission.value.reason);
        return redirectWithToast(here, {
          kind: "success",
          message: t("detail.disabled", { ruleKey: rule.ruleKey, version: rule.version }),
        });
    }
  } catch (error) {
    // The button's post sent again (a double click, a resent post): this page already shows what the first one did.
    if (error instanceof AlreadySubmittedError) {
      return redirectWithToast(here, { kind: "info", message: translateDomainError(ctx.staff.language, error) });
    }
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error as DomainError) }, { status: error.status });
  }
}

/** How long the backtest button waits for the replay before showing its progress instead. */
const BACKTEST_WAIT_MS = 2500;

export default function RiskRule() {
  const { rule, backtest, backtestJob, viewer, backtestKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("risk");
  const lang = viewer.language;
  const replaying = backtestJob?.status === "QUEUED" || backtestJob?.status === "RUNNING";
  // While the replay runs, the page reads its progress again every second (no full reload).
  useAutomaticRefresh(replaying, 1000);
  return (
    <div className="space-y-6">
      <Link className="text-sm underline" to="/rules">
        {t("detail.back")}
      </Link>
      <div>
        <h1 className="text-2xl font-bold">
          {rule.ruleKey} v{rule.version}{" "}
          <span className="rounded bg-slate-200 px-2 py-0.5 text-sm" data-testid="rule-status">
            {t(`status.${rule.status}`)}
          </span>
        </h1>
        <p className="text-sm text-slate-600">{rule.name}</p>
        <p className="mt-2 font-mono text-sm" data-testid="rule-condition">
          {rule.condition}
        </p>
        <p className="text-sm">
          {t(`outcome.${rule.outcome}`)} · {t(`channel.${rule.channel ?? "ALL"}`)}
        </p>
        <p className="text-xs text-slate-500">
          {t("detail.draftedBy", { at: formatJst(rule.createdAt, lang) })}
          {rule.publishedAt
            ? ` · ${t("detail.publishedAt", { at: formatJst(rule.publishedAt, lang), backtest: rule.backtestId })}`
            : ""}
          {rule.disabledAt ? ` · ${t("detail.disabledAt", { at: formatJst(rule.disabledAt, lang) })}` : ""}
        </p>
      </div>

      {actionData?.error ? (
        <p role="alert" className="text-sm text-red-700" data-testid="rule-error">
          {actionData.error}
        </p>
      ) : null}

      <div className="flex flex-wrap gap-3">
        {viewer.canDraft && rule.status === "DRAFT" && !replaying ? (
          <IntentButton intent="backtest" submissionKey={backtestKey}>
            {t("detail.backtest")}
          </IntentButton>
        ) : null}
        {viewer.canDraft && replaying && !backtestJob.cancelRequested ? (
          <IntentButton intent="cancel-backtest">{t("detail.cancelBacktest")}</IntentButton>
        ) : null}
        {viewer.canPublish && rule.status === "DRAFT" && backtest ? (
          rule.createdById === viewer.id ? (
            <p className="text-sm text-slate-600">{t("detail.publishOwn")}</p>
          ) : (
            <IntentButton intent="publish" className="btn-primary">
              {t("detail.publish")}
            </IntentButton>
          )
        ) : null}
        {viewer.canPublish && rule.status === "ACTIVE" ? (
          <IntentButton intent="disable" className="btn-danger">
            {t("detail.disable")}
          </IntentButton>
        ) : null}
      </div>

      {backtestJob ? <BacktestProgress job={backtestJob} language={lang} /> : null}

      <BacktestResultsPanel backtest={backtest} language={lang} />
    </div>
  );
}
