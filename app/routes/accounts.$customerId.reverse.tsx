// Reversing a charge of one account, fully or partly: the account's top-ups and purchases with what is left of each,
// and for the chosen charge a form that says where the money goes before the agent confirms. The form carries an
// idempotency key made when the page rendered, so a double click or a retried submission reverses once. Everything
// is decided by the domain service (app/ledger/reverse-charge.server.ts) inside the audited spine.
// A purchase whose refund waits until the account is secured (ADR 089) can be frozen from here, through the account
// status service, and the agent comes back to the same charge to refund it; a forced reset sent from the recovery page
// brings them back here too (ADR 097).
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMessages } from "~/i18n/use-messages";
import type { TFunction } from "i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { hasRecentStepUp, requirePermission } from "~/auth/guard.server";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import type { Permission } from "~/auth/permissions";
import type { Language } from "~/i18n/config";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { translateDomainError } from "~/i18n/translate.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { describeDestination } from "~/ledger/reversal-destination";
import { fieldOfError, FreezeBeforeRefundFields, parseYenInput, ReverseChargeFields } from "~/ledger/reversal-forms";
import { changeAccountStatus } from "~/accounts/account-status.server";
import { roleHasPermission } from "~/auth/permissions";
import { loadReverseView, newIdempotencyKey, type ChargeRow } from "~/ledger/reversal-views.server";
import { reverseCharge, type ReversalOutcome } from "~/ledger/reverse-charge.server";
import { useReasonLabel } from "~/ledger/ui/reason-label";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatJst, formatYen } from "~/lib/format";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";
import { redirectWithToast } from "~/lib/toast.server";
import { parseFormData, readForm } from "~/lib/form.server";
import { useDestinationSentence } from "~/ledger/ui/destination-sentence";

export const permission: Permission = "ledger:reverse";

// A refusal here is often the news that the page is stale (the charge reversed meanwhile from another tab or by
// another agent): the charges are read again beside it, so the table agrees with the message.
export const shouldRevalidate = revalidateAfterRefusal;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "accounts:reverse.pageTitle") }];
  const language = languageOfMatches(matches);
  const title = fixedT(language, "accounts")("reverse.pageTitleOf", { displayId: data.view.customer.displayId });
  return [{ title: `${title} · ${fixedT(language)("appName")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const chargeId = new URL(request.url).searchParams.get("charge");
  try {
    const view = await loadReverseView({ customerId: params.customerId ?? "", chargeId, staffId: ctx.staff.id });
    // A fresh key per render of the form: the submission it belongs to is identified by it (idempotency).
    return {
      view,
      idempotencyKey: newIdempotencyKey(),
      // The freeze form's own one-time key: its repeat freezes nothing and leads back here (ADR 112).
      freezeSubmissionKey: newSubmissionKey(),
      steppedUp: hasRecentStepUp(ctx),
      canFreeze: roleHasPermission(ctx.staff.role, "accounts:freeze"),
    };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const language = ctx.staff.language;
  const form = await readForm(request, language);
  const customerId = params.customerId ?? "";
  if (form.get("intent") === "freeze") return freezeBeforeRefund(ctx, customerId, form);
  const submission = parseFormData(form, ReverseChargeFields, language);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    const outcome = await reverseCharge(reversalContextOf(ctx), {
      customerId,
      transactionId: submission.value.transactionId,
      amount: parseYenInput(submission.value.amount),
      reasonCode: submission.value.reasonCode,
      note: submission.value.note,
      idempotencyKey: submission.value.idempotencyKey,
    });
    return redirectWithToast(`/reversals/${outcome.requestId}`, {
      kind: outcome.status === "COMPLETED" ? "success" : "info",
      message: outcomeMessage(outcome, language),
    });
  } catch (error) {
    if (error instanceof StepUpRequiredError) {
      // Refused and audited by the spine; the agent confirms with a fresh code and comes back to this charge.
      // The amount typed comes back with them: the form must not return holding a different sum (ADR 087).
      const back = reverseFormPath(customerId, submission.value.transactionId, parseYenInput(submission.value.amount));
      return redirect(`/step-up?redirectTo=${encodeURIComponent(back)}`);
    }
    if (!isDomainError(error)) throw error;
    const field = fieldOfError(error.code);
    const message = translateDomainError(language, error);
    return data(submission.reply(field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] }), {
      status: error.status,
    });
  }
}

/**
 * Freezes the account (the account status service, in the spine: accounts:freeze, audited) and brings the agent back
 * to the charge they were refunding, now refundable. A refusal is said above the freeze form, in the agent's language.
 */
async function freezeBeforeRefund(
  ctx: Awaited<ReturnType<typeof requirePermission>>,
  customerId: string,
  form: FormData,
) {
  const language = ctx.staff.language;
  const submission = parseFormData(form, FreezeBeforeRefundFields, language);
  if (submission.status !== "success") return data({ freeze: submission.reply() }, { status: 400 });
  const back = reverseFormPath(customerId, submission.value.transactionId);
  const t = fixedT(language, "accounts");
  try {
    await changeAccountStatus(ctx, {
      customerId,
      change: "freeze",
      reason: submission.value.reason,
      submissionKey: submission.value.submissionKey,
    });
  } catch (error) {
    // Past the member's hourly budget of containments (ADR 115): a fresh code, then back to this charge.
    if (error instanceof StepUpRequiredError) {
      return redirect(
        `/step-up?redirectTo=${encodeURIComponent(reverseFormPath(customerId, submission.value.transactionId))}`,
      );
    }
    // The same rendered form sent again by the same member: the first send froze the account, so back to the charge
    // as after it (audited ALREADY_SUBMITTED by the spine), not told the account is frozen by someone else.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast(back, {
        kind: "success",
        message: `${t("reverse.frozenNowRefund")} ${t("toast.sentOnce")}`,
      });
    }
    if (!isDomainError(error)) throw error;
    const message = translateDomainError(language, error);
    return data({ freeze: submission.reply({ formErrors: [message] }) }, { status: error.status });
  }
  return redirectWithToast(back, { kind: "success", message: t("reverse.frozenNowRefund") });
}

/** The reversal form of one charge, holding `amount` when the agent had typed one (back from a step-up). */
function reverseFormPath(customerId: string, chargeId: string, amount?: number): string {
  const query = new URLSearchParams({ charge: chargeId });
  if (amount !== undefined && Number.isSafeInteger(amount) && amount > 0) query.set("amount", String(amount));
  return `/accounts/${customerId}/reverse?${query.toString()}`;
}

/** The toast after a reversal, in the agent's language: "¥12,000 reversed" / "… waits for a security lead". */
function outcomeMessage(outcome: ReversalOutcome, language: Language | undefined): string {
  const t = fixedT(language, "accounts");
  const amount = formatYen(outcome.amount, language);
  const said =
    outcome.status === "PENDING_APPROVAL" && outcome.approvalRule === "DAILY_CAP"
      ? t("reverse.outcome.PENDING_DAILY_CAP", { amount })
      : t(`reverse.outcome.${outcome.status}`, { amount });
  // The same rendered form sent again (a double click, a resent post) got the first request's outcome: say so.
  return outcome.replayed ? `${said} ${t("reverse.outcome.replayed")}` : said;
}

function chargeDetail(
  t: TFunction<"accounts">,
  charge: Pick<ChargeRow, "kind" | "storeName" | "storeCode" | "fundingLabel">,
): string {
  return charge.kind === "PURCHASE"
    ? t("reverse.purchaseAt", { store: charge.storeName ?? charge.storeCode ?? t("reverse.aStore") })
    : t("reverse.topUpFrom", { source: charge.fundingLabel ?? t("reverse.aFundingSource") });
}

export default function ReverseCharge() {
  const { view } = useLoaderData<typeof loader>();
  const { customer, charges, selected, requests } = view;
  const { t, i18n } = useTranslation("accounts");
  const language = usePageLanguage();
  const yen = (amount: number) => formatYen(amount, language);
  const reasonLabel = useReasonLabel();
  const reasonOf = (code: string) => reasonLabel(code, view.reasons.find((r) => r.code === code)?.label ?? code);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to={`/accounts/${customer.id}`} className="underline">
            {customer.displayId}
          </Link>{" "}
          ·{" "}
          {i18n.exists(`accounts:reverse.status.${customer.status}`)
            ? t(`reverse.status.${customer.status}` as never)
            : customer.status.toLowerCase()}
          {t("reverse.wallet")}
          <span data-testid="wallet-balance">{yen(view.walletBalance)}</span>
        </p>
        <h1 className="text-2xl font-bold">{t("reverse.title", { name: customer.name })}</h1>
      </div>

      {selected ? <ReverseForm key={selected.id} charge={selected} /> : null}

      <section className="card space-y-3">
        <h2 className="font-semibold">{t("reverse.chargesTitle")}</h2>
        {charges.length === 0 ? (
          <p className="text-sm text-slate-600">{t("reverse.noCharges")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="charges">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">{t("reverse.when")}</th>
                  <th className="py-1 pr-4 font-medium">{t("reverse.charge")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("reverse.amount")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("reverse.reversed")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("reverse.left")}</th>
                  <th className="py-1" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {charges.map((charge) => (
                  <tr
                    key={charge.id}
                    data-testid={`charge-${charge.id}`}
                    className={selected?.id === charge.id ? "bg-amber-50" : ""}
                  >
                    <td className="py-1 pr-4 whitespace-nowrap">{formatJst(charge.occurredAt, language)}</td>
                    <td className="py-1 pr-4">{chargeDetail(t, charge)}</td>
                    <td className="py-1 pr-4 text-right tabular-nums">{yen(charge.amount)}</td>
                    <td className="py-1 pr-4 text-right tabular-nums">
                      {charge.reversed ? yen(charge.reversed) : "—"}
                    </td>
                    <td className="py-1 pr-4 text-right tabular-nums">{yen(charge.remaining)}</td>
                    <td className="py-1 text-right">
                      {charge.remaining > 0 ? (
                        <Link className="text-slate-900 underline" to={`?charge=${charge.id}`}>
                          {t("reverse.reverseLink")}
                        </Link>
                      ) : (
                        <span className="text-slate-400">{t("reverse.fullyReversed")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {requests.length > 0 ? (
        <section className="card space-y-2">
          <h2 className="font-semibold">{t("reverse.requestsTitle")}</h2>
          <ul className="space-y-1 text-sm">
            {requests.map((r) => (
              <li key={r.id}>
                <Link to={`/reversals/${r.id}`} className="underline">
                  {yen(r.amount)}
                </Link>{" "}
                <StatusBadge status={r.status} /> {reasonOf(r.reasonCode)} · {r.requestedBy} ·{" "}
                {formatJst(r.requestedAt, language)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function ReverseForm({ charge }: { charge: ChargeRow }) {
  const { view, idempotencyKey, freezeSubmissionKey, steppedUp, canFreeze } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData && !("freeze" in actionData) ? actionData : undefined;
  const freezeResult = actionData && "freeze" in actionData ? actionData.freeze : undefined;
  const navigation = useNavigation();
  const { t } = useTranslation("accounts");
  const destinationSentence = useDestinationSentence();
  const language = usePageLanguage();
  const yen = (value: number) => formatYen(value, language);
  // Back from a step-up the form holds the amount the agent had typed, not the whole remainder.
  const [searchParams] = useSearchParams();
  const typed = parseYenInput(searchParams.get("amount") ?? "");
  const initialAmount = String(Number.isSafeInteger(typed) && typed > 0 ? typed : charge.remaining);
  const [amountText, setAmountText] = useState(initialAmount);
  const [reason, setReason] = useState("FRAUDULENT");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { transactionId: charge.id, amount: initialAmount, reasonCode: "FRAUDULENT" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReverseChargeFields }),
  });
  // Keys from the schemas (the browser checks first) are shown in the page's language.
  const formErrors = useMessages(form.errors);
  const amountErrors = useMessages(fields.amount.errors);
  const reasonErrors = useMessages(fields.reasonCode.errors);
  const noteErrors = useMessages(fields.note.errors);
  const amount = parseYenInput(amountText);
  const valid = Number.isSafeInteger(amount) && amount > 0;
  const destination = valid ? describeDestination(charge, amount) : null;
  const walletAfter = charge.kind === "PURCHASE" ? view.walletBalance + amount : view.walletBalance - amount;
  const { policy } = view;
  const needsNote = view.reasons.find((r) => r.code === reason)?.requiresNote ?? false;
  const submitting = navigation.state === "submitting";
  const reasonLabel = useReasonLabel();
  // A large reversal needs the requester's own fresh step-up (the domain refuses it otherwise): send the agent to step
  // up first, back to this charge, rather than let the submit fail. The refusal also reaches here if the window
  // closed while the form was open: the action then sends the agent to step up.
  const returnTo = reverseFormPath(view.customer.id, charge.id, amount);
  const needsStepUp = valid && amount >= policy.stepUpMinYen && !steppedUp;
  return (
    <section className="card space-y-4" data-testid="reverse-form">
      <div>
        <h2 className="font-semibold">
          {t("reverse.heading", {
            charge: chargeDetail(t, charge),
            amount: yen(charge.amount),
            at: formatJst(charge.occurredAt, language),
          })}
        </h2>
        <p className="text-sm text-slate-600">
          {charge.reversed > 0 ? t("reverse.alreadyReversed", { amount: yen(charge.reversed) }) : ""}
          {t("reverse.canStill", { amount: yen(charge.remaining) })}
        </p>
      </div>
      {charge.refundWaitsForSecuring ? (
        <NotSecuredNotice
          customerId={view.customer.id}
          chargeId={charge.id}
          canFreeze={canFreeze && view.customer.status === "ACTIVE"}
          submissionKey={freezeSubmissionKey}
          lastResult={freezeResult}
        />
      ) : null}
      <Form method="post" {...getFormProps(form)} className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-4">
          {formErrors ? (
            <div role="alert" id={form.errorId} className="rounded-md bg-red-50 p-3 text-sm text-red-800">
              {formErrors.join(" ")}
            </div>
          ) : null}
          <input {...getInputProps(fields.transactionId, { type: "hidden" })} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <div>
            <label className="label" htmlFor={fields.amount.id}>
              {t("reverse.amountLabel")}
            </label>
            <input
              {...getInputProps(fields.amount, { type: "text" })}
              className="input mt-1"
              inputMode="numeric"
              autoComplete="off"
              onChange={(event) => setAmountText(event.currentTarget.value)}
            />
            {amountErrors ? (
              <p className="field-error" id={fields.amount.errorId} role="alert">
                {amountErrors.join(" ")}
              </p>
            ) : null}
          </div>
          <div>
            <label className="label" htmlFor={fields.reasonCode.id}>
              {t("reverse.reason")}
            </label>
            <select
              {...getSelectProps(fields.reasonCode)}
              className="input mt-1"
              onChange={(event) => setReason(event.currentTarget.value)}
            >
              {view.reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {reasonLabel(r.code, r.label)}
                </option>
              ))}
            </select>
            {reasonErrors ? <p className="field-error">{reasonErrors.join(" ")}</p> : null}
          </div>
          <div>
            <label className="label" htmlFor={fields.note.id}>
              {needsNote ? t("reverse.noteRequired") : t("reverse.noteOptional")}
            </label>
            <textarea {...getTextareaProps(fields.note)} className="input mt-1" rows={2} />
            {noteErrors ? <p className="field-error">{noteErrors.join(" ")}</p> : null}
          </div>
        </div>
        <div className="space-y-3">
          <div className="rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200" data-testid="destination">
            <h3 className="font-semibold">{t("reverse.whereMoneyGoes")}</h3>
            {destination ? (
              <>
                <p className="mt-1">{destinationSentence(destination.words)}</p>
                <p className="mt-1 text-slate-600">
                  {t("reverse.walletChange", { before: yen(view.walletBalance), after: yen(walletAfter) })}
                </p>
              </>
            ) : (
              <p className="mt-1 text-slate-600">{t("reverse.enterWholeYen")}</p>
            )}
          </div>
          {valid && amount > charge.remaining ? (
            <p className="text-sm text-red-800" role="status">
              {t("reverse.moreThanLeft", { left: yen(charge.remaining) })}
            </p>
          ) : null}
          {valid && charge.kind === "TOP_UP" && walletAfter < 0 ? (
            <p className="text-sm text-red-800" role="status">
              {t("reverse.walletTooLow", { balance: yen(view.walletBalance) })}
            </p>
          ) : null}
          {valid && amount > policy.approvalThresholdYen ? (
            <p className="text-sm text-amber-900" role="status">
              {t("reverse.aboveThreshold", { threshold: yen(policy.approvalThresholdYen) })}
            </p>
          ) : valid && policy.reversedTodayYen + amount > policy.dailyCapYen ? (
            <p className="text-sm text-amber-900" role="status">
              {t("reverse.overDailyCap", { used: yen(policy.reversedTodayYen), cap: yen(policy.dailyCapYen) })}
            </p>
          ) : null}
          {needsStepUp ? (
            <StepUpNotice returnTo={returnTo} what={t("reverse.stepUpWhat", { threshold: yen(policy.stepUpMinYen) })} />
          ) : null}
          {/* Cancel stands before the button: the button's label shortens while it submits, and an impatient double
              click must not land its second click on a link that slid under the pointer (it would abandon the
              submission). */}
          <div className="flex gap-2">
            <Link to="." className="btn-secondary">
              {t("reverse.cancel")}
            </Link>
            <button
              type="submit"
              className="btn-danger"
              disabled={submitting || needsStepUp || charge.refundWaitsForSecuring}
            >
              {submitting
                ? t("reverse.reversing")
                : valid
                  ? t("reverse.confirmAmount", { amount: yen(amount) })
                  : t("reverse.confirm")}
            </button>
          </div>
        </div>
      </Form>
    </section>
  );
}

/**
 * Said before the agent types anything: the domain refuses a refund to a wallet nobody has secured yet. The freeze is
 * right here (one reason, one button) and brings the agent back to this charge; the forced reset has its own page.
 */
function NotSecuredNotice(props: {
  customerId: string;
  chargeId: string;
  canFreeze: boolean;
  submissionKey: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation("accounts");
  const [form, fields] = useForm({
    id: "freeze-before-refund",
    lastResult: props.lastResult,
    defaultValue: { reason: t("reverse.freezeReasonDefault") },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FreezeBeforeRefundFields }),
  });
  const formErrors = useMessages(form.errors);
  const reasonErrors = useMessages(fields.reason.errors);
  const navigation = useNavigation();
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="not-secured">
      <p role="status">{t("reverse.notSecured")}</p>
      {props.canFreeze ? (
        <Form method="post" {...getFormProps(form)} className="mt-3 space-y-2" data-testid="freeze-before-refund">
          <input type="hidden" name="intent" value="freeze" />
          <input type="hidden" name="transactionId" value={props.chargeId} />
          <input type="hidden" name="submissionKey" value={props.submissionKey} />
          {formErrors ? (
            <p role="alert" id={form.errorId} className="text-red-800">
              {formErrors.join(" ")}
            </p>
          ) : null}
          <label className="label" htmlFor={fields.reason.id}>
            {t("reverse.freezeReasonLabel")}
          </label>
          <input {...getInputProps(fields.reason, { type: "text" })} className="input" maxLength={500} />
          {reasonErrors ? (
            <p className="field-error" id={fields.reason.errorId} role="alert">
              {reasonErrors.join(" ")}
            </p>
          ) : null}
          <button type="submit" className="btn-danger" disabled={navigation.state === "submitting"}>
            {t("reverse.freezeHere")}
          </button>
        </Form>
      ) : null}
      <p className="mt-2 flex gap-4">
        {props.canFreeze ? null : (
          <Link className="underline" to={`/accounts/${props.customerId}`}>
            {t("reverse.notSecuredFreeze")}
          </Link>
        )}
        <Link className="underline" to={`/accounts/${props.customerId}/recovery?charge=${props.chargeId}`}>
          {t("reverse.notSecuredReset")}
        </Link>
      </p>
    </div>
  );
}
