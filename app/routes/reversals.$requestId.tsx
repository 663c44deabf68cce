// One reversal request: what was asked, where the money went (or will go once approved), and its outcome. The
// reversal form redirects here, so a retried submission lands on the same page. The requester may withdraw a request
// that still waits for approval.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission } from "~/auth/guard.server";
import { parseForm } from "~/lib/form.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { withdrawReversal } from "~/ledger/reversal-approval.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { loadReversalRequest } from "~/ledger/reversal-views.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { DetailHeader } from "~/components/detail-header";
import { formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { useReasonLabel } from "~/ledger/ui/reason-label";
import { useDestinationSentence } from "~/ledger/ui/destination-sentence";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "ledger:reverse";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reversals:pageTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const view = await loadReversalRequest(params.requestId ?? "");
  if (!view) throw new Response(translatorFor(ctx.staff.language, "reversals")("notFound"), { status: 404 });
  // The withdrawal form's one-time key (ADR 112): a repeat withdraws nothing again and is led back here.
  return { ...view, isRequester: view.request.requestedById === ctx.staff.id, submissionKey: newSubmissionKey() };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

const WithdrawFields = z.object({ submissionKey: z.string().uuid("accounts:validation.staleForm").optional() });

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const requestId = params.requestId ?? "";
  const t = translatorFor(ctx.staff.language, "reversals");
  const submission = await parseForm(request, WithdrawFields, ctx.staff.language);
  if (submission.status !== "success") return data({ error: t("staleForm") }, { status: 400 });
  const here = `/reversals/${requestId}`;
  try {
    await withdrawReversal(reversalContextOf(ctx), { requestId, submissionKey: submission.value.submissionKey });
    return redirectWithToast(here, { kind: "info", message: t("withdrawn") });
  } catch (error) {
    // The same rendered form sent again by the requester: back here, where the withdrawal shows.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast(here, { kind: "info", message: t("sentOnce") });
    }
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function ReversalRequestPage() {
  const { request, customer, charge, destination, refund, walletBalance, isRequester, submissionKey } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const completed = request.status === "COMPLETED";
  const { t, i18n } = useTranslation("reversals");
  const destinationSentence = useDestinationSentence();
  const reasonLabel = useReasonLabel();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const yen = (amount: number) => formatYen(amount, language);
  return (
    <div className="space-y-6">
      <DetailHeader
        context={
          <>
            <Link to={`/accounts/${customer.id}/reverse`} className="underline">
              {customer.displayId} · {customer.name}
            </Link>{" "}
            {t("detail.wallet", { amount: yen(walletBalance) })}
          </>
        }
        title={
          <>
            {t("detail.title", { amount: yen(request.amount) })}{" "}
            <StatusBadge status={request.status} testId="reversal-status" />
          </>
        }
        error={actionData?.error}
      />
      <section className="card space-y-2 text-sm">
        <h2 className="font-semibold">{completed ? t("detail.whereWent") : t("detail.whereGoes")}</h2>
        <p data-testid="destination">{destinationSentence(destination.words)}</p>
        {refund ? (
          <p>
            {t("detail.refund", {
              channel: t(`channel.${refund.channel}`),
            })}{" "}
            <StatusBadge status={refund.status} /> {yen(refund.amount)}
          </p>
        ) : null}
        {request.status === "PENDING_APPROVAL" ? (
          <p className="text-amber-900">
            {t(request.approvalRule === "DAILY_CAP" ? "detail.waitingDailyCap" : "detail.waitingThreshold")}
          </p>
        ) : null}
      </section>
      <section className="card">
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">{t("detail.charge")}</dt>
            <dd>
              {t(charge.kind === "PURCHASE" ? "detail.purchaseOf" : "detail.topUpOf", {
                amount: yen(charge.amount),
                at: formatJst(charge.occurredAt, language),
                reversed: yen(charge.reversed),
                remaining: yen(charge.remaining),
              })}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("detail.reason")}</dt>
            <dd>
              {reasonLabel(request.reasonCode, request.reasonLabel)}
              {request.note ? ` — ${request.note}` : ""}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("detail.requested")}</dt>
            <dd>{t("detail.byAt", { name: request.requestedBy, at: formatJst(request.requestedAt, language) })}</dd>
          </div>
          {request.decidedAt ? (
            <div>
              <dt className="text-slate-500">{t("detail.decided")}</dt>
              <dd>
                {t("detail.byAt", { name: request.decidedBy, at: formatJst(request.decidedAt, language) })}
                {request.decisionReason ? ` — ${request.decisionReason}` : ""}
              </dd>
            </div>
          ) : null}
          {request.reversalTransactionId ? (
            <div>
              <dt className="text-slate-500">{t("detail.ledgerTransaction")}</dt>
              <dd>
                <code className="text-xs" data-testid="reversal-transaction">
                  {request.reversalTransactionId}
                </code>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
      {request.status === "PENDING_APPROVAL" && isRequester ? (
        <Form method="post">
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <button type="submit" name="intent" value="withdraw" className="btn-secondary">
            {t("detail.withdraw")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
