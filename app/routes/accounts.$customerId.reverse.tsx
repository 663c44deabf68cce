// Reversing a charge of one account, fully or partly: the account's top-ups and purchases with what is left of each,
// and for the chosen charge a form that says where the money goes before the agent confirms. The form carries an
// idempotency key made when the page rendered, so a double click or a retried submission reverses once. Everything
// is decided by the domain service (app/ledger/reverse-charge.server.ts) inside the audited spine.
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { yen } from "~/ledger/money";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { describeDestination } from "~/ledger/reversal-destination";
import { fieldOfError, parseYenInput, ReverseChargeFields } from "~/ledger/reversal-forms";
import { loadReverseView, newIdempotencyKey, type ChargeRow } from "~/ledger/reversal-views.server";
import { describeOutcome, reverseCharge } from "~/ledger/reverse-charge.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "ledger:reverse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Reverse a charge · ${data.view.customer.displayId} · Firebreak` : "Reverse a charge · Firebreak" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const chargeId = new URL(request.url).searchParams.get("charge");
  try {
    const view = await loadReverseView({ customerId: params.customerId ?? "", chargeId, staffId: ctx.staff.id });
    // A fresh key per render of the form: the submission it belongs to is identified by it (idempotency).
    return json({ view, idempotencyKey: newIdempotencyKey() });
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const submission = await parseForm(request, ReverseChargeFields, ctx.staff.language);
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const customerId = params.customerId ?? "";
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
      message: describeOutcome(outcome),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const field = fieldOfError(error.code);
    return json(
      submission.reply(field ? { fieldErrors: { [field]: [error.message] } } : { formErrors: [error.message] }),
      { status: error.status },
    );
  }
}

function chargeDetail(charge: Pick<ChargeRow, "kind" | "storeName" | "storeCode" | "fundingLabel">): string {
  return charge.kind === "PURCHASE"
    ? `Purchase at ${charge.storeName ?? charge.storeCode ?? "a store"}`
    : `Top-up from ${charge.fundingLabel ?? "a funding source"}`;
}

export default function ReverseCharge() {
  const { view } = useLoaderData<typeof loader>();
  const { customer, charges, selected, requests } = view;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to={`/accounts/${customer.id}`} className="underline">
            {customer.displayId}
          </Link>{" "}
          · {customer.status.toLowerCase()} · wallet <span data-testid="wallet-balance">{yen(view.walletBalance)}</span>
        </p>
        <h1 className="text-2xl font-bold">Reverse a charge · {customer.name}</h1>
      </div>

      {selected ? <ReverseForm key={selected.id} charge={selected} /> : null}

      <section className="card space-y-3">
        <h2 className="font-semibold">Top-ups and purchases</h2>
        {charges.length === 0 ? (
          <p className="text-sm text-slate-600">This account has no top-ups or purchases.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="charges">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">When (JST)</th>
                  <th className="py-1 pr-4 font-medium">Charge</th>
                  <th className="py-1 pr-4 text-right font-medium">Amount</th>
                  <th className="py-1 pr-4 text-right font-medium">Reversed</th>
                  <th className="py-1 pr-4 text-right font-medium">Left</th>
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
                    <td className="py-1 pr-4 whitespace-nowrap">{formatJst(charge.occurredAt)}</td>
                    <td className="py-1 pr-4">{chargeDetail(charge)}</td>
                    <td className="py-1 pr-4 text-right tabular-nums">{yen(charge.amount)}</td>
                    <td className="py-1 pr-4 text-right tabular-nums">
                      {charge.reversed ? yen(charge.reversed) : "—"}
                    </td>
                    <td className="py-1 pr-4 text-right tabular-nums">{yen(charge.remaining)}</td>
                    <td className="py-1 text-right">
                      {charge.remaining > 0 ? (
                        <Link className="text-slate-900 underline" to={`?charge=${charge.id}`}>
                          Reverse…
                        </Link>
                      ) : (
                        <span className="text-slate-400">fully reversed</span>
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
          <h2 className="font-semibold">Reversal requests for this account</h2>
          <ul className="space-y-1 text-sm">
            {requests.map((r) => (
              <li key={r.id}>
                <Link to={`/reversals/${r.id}`} className="underline">
                  {yen(r.amount)}
                </Link>{" "}
                <StatusBadge status={r.status} /> {r.reasonCode.toLowerCase()} · {r.requestedBy} ·{" "}
                {formatJst(r.requestedAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function ReverseForm({ charge }: { charge: ChargeRow }) {
  const { view, idempotencyKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [amountText, setAmountText] = useState(String(charge.remaining));
  const [reason, setReason] = useState("FRAUDULENT");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { transactionId: charge.id, amount: String(charge.remaining), reasonCode: "FRAUDULENT" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReverseChargeFields }),
  });
  const amount = parseYenInput(amountText);
  const valid = Number.isSafeInteger(amount) && amount > 0;
  const destination = valid ? describeDestination(charge, amount) : null;
  const walletAfter = charge.kind === "PURCHASE" ? view.walletBalance + amount : view.walletBalance - amount;
  const { policy } = view;
  const needsNote = view.reasons.find((r) => r.code === reason)?.requiresNote ?? false;
  const submitting = navigation.state === "submitting";
  return (
    <section className="card space-y-4" data-testid="reverse-form">
      <div>
        <h2 className="font-semibold">
          {chargeDetail(charge)} of {yen(charge.amount)} on {formatJst(charge.occurredAt)}
        </h2>
        <p className="text-sm text-slate-600">
          {charge.reversed > 0 ? `${yen(charge.reversed)} already reversed; ` : ""}
          {yen(charge.remaining)} can still be reversed.
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-4">
          {form.errors ? (
            <div role="alert" id={form.errorId} className="rounded-md bg-red-50 p-3 text-sm text-red-800">
              {form.errors.join(" ")}
            </div>
          ) : null}
          <input {...getInputProps(fields.transactionId, { type: "hidden" })} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <div>
            <label className="label" htmlFor={fields.amount.id}>
              Amount to reverse (yen)
            </label>
            <input
              {...getInputProps(fields.amount, { type: "text" })}
              className="input mt-1"
              inputMode="numeric"
              autoComplete="off"
              onChange={(event) => setAmountText(event.currentTarget.value)}
            />
            {fields.amount.errors ? (
              <p className="field-error" id={fields.amount.errorId} role="alert">
                {fields.amount.errors.join(" ")}
              </p>
            ) : null}
          </div>
          <div>
            <label className="label" htmlFor={fields.reasonCode.id}>
              Reason
            </label>
            <select
              {...getSelectProps(fields.reasonCode)}
              className="input mt-1"
              onChange={(event) => setReason(event.currentTarget.value)}
            >
              {view.reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </select>
            {fields.reasonCode.errors ? <p className="field-error">{fields.reasonCode.errors.join(" ")}</p> : null}
          </div>
          <div>
            <label className="label" htmlFor={fields.note.id}>
              Note {needsNote ? "(required)" : "(optional)"}
            </label>
            <textarea {...getTextareaProps(fields.note)} className="input mt-1" rows={2} />
            {fields.note.errors ? <p className="field-error">{fields.note.errors.join(" ")}</p> : null}
          </div>
        </div>
        <div className="space-y-3">
          <div className="rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200" data-testid="destination">
            <h3 className="font-semibold">Where the money goes</h3>
            {destination ? (
              <>
                <p className="mt-1">{destination.sentence}</p>
                <p className="mt-1 text-slate-600">
                  Wallet: {yen(view.walletBalance)} → {yen(walletAfter)}
                </p>
              </>
            ) : (
              <p className="mt-1 text-slate-600">Enter a whole number of yen greater than zero.</p>
            )}
          </div>
          {valid && amount > charge.remaining ? (
            <p className="text-sm text-red-800" role="status">
              More than the {yen(charge.remaining)} left of this charge: it will be refused.
            </p>
          ) : null}
          {valid && charge.kind === "TOP_UP" && walletAfter < 0 ? (
            <p className="text-sm text-red-800" role="status">
              The wallet holds only {yen(view.walletBalance)}: reverse the purchases paid with this money first, or
              reverse at most {yen(view.walletBalance)}.
            </p>
          ) : null}
          {valid && amount > policy.approvalThresholdYen ? (
            <p className="text-sm text-amber-900" role="status">
              Above {yen(policy.approvalThresholdYen)}: a security lead must approve it before any money moves.
            </p>
          ) : valid && policy.reversedTodayYen + amount > policy.dailyCapYen ? (
            <p className="text-sm text-amber-900" role="status">
              This would pass your daily cap ({yen(policy.reversedTodayYen)} of {yen(policy.dailyCapYen)} used today): a
              security lead must approve it.
            </p>
          ) : null}
          <div className="flex gap-2">
            <button type="submit" className="btn-danger" disabled={submitting}>
              {submitting ? "Reversing…" : valid ? `Confirm reversal of ${yen(amount)}` : "Confirm reversal"}
            </button>
            <Link to="." className="btn-secondary">
              Cancel
            </Link>
          </div>
        </div>
      </Form>
    </section>
  );
}
