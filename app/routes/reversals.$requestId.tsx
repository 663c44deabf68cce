// One reversal request: what was asked, where the money went (or will go once approved), and its outcome. The
// reversal form redirects here, so a retried submission lands on the same page. The requester may withdraw a request
// that still waits for approval.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { yen } from "~/ledger/money";
import { withdrawReversal } from "~/ledger/reversal-approval.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { loadReversalRequest } from "~/ledger/reversal-views.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";

export const permission: Permission = "ledger:reverse";

export const meta: MetaFunction = () => [{ title: "Reversal · Firebreak" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const view = await loadReversalRequest(params.requestId ?? "");
  if (!view) throw new Response("There is no such reversal request.", { status: 404 });
  return json({ ...view, isRequester: view.request.requestedById === ctx.staff.id });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const requestId = params.requestId ?? "";
  try {
    await withdrawReversal(reversalContextOf(ctx), { requestId });
    return redirectWithToast(`/reversals/${requestId}`, {
      kind: "info",
      message: "Request withdrawn: no money moved.",
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ error: error.message }, { status: error.status });
  }
}

export default function ReversalRequestPage() {
  const { request, customer, charge, destination, refund, walletBalance, isRequester } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const completed = request.status === "COMPLETED";
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to={`/accounts/${customer.id}/reverse`} className="underline">
            {customer.displayId} · {customer.name}
          </Link>{" "}
          · wallet {yen(walletBalance)}
        </p>
        <h1 className="text-2xl font-bold">
          Reversal of {yen(request.amount)} <StatusBadge status={request.status} testId="reversal-status" />
        </h1>
      </div>
      {actionData?.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {actionData.error}
        </p>
      ) : null}
      <section className="card space-y-2 text-sm">
        <h2 className="font-semibold">{completed ? "Where the money went" : "Where the money goes once approved"}</h2>
        <p data-testid="destination">{destination.sentence}</p>
        {refund ? (
          <p>
            Refund instruction for the {refund.channel.replace(/_/g, " ").toLowerCase()} processor:{" "}
            <StatusBadge status={refund.status} /> {yen(refund.amount)}
          </p>
        ) : null}
        {request.status === "PENDING_APPROVAL" ? (
          <p className="text-amber-900">
            Waiting for a security lead:{" "}
            {request.approvalRule === "DAILY_CAP"
              ? "it would pass the requester's daily reversal cap."
              : "it is above the approval threshold."}{" "}
            No money has moved.
          </p>
        ) : null}
      </section>
      <section className="card">
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Charge</dt>
            <dd>
              {charge.kind === "PURCHASE" ? "Purchase" : "Top-up"} of {yen(charge.amount)} on{" "}
              {formatJst(charge.occurredAt)}; {yen(charge.reversed)} reversed in all, {yen(charge.remaining)} left
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Reason</dt>
            <dd>
              {request.reasonLabel}
              {request.note ? ` — ${request.note}` : ""}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Requested</dt>
            <dd>
              {request.requestedBy}, {formatJst(request.requestedAt)}
            </dd>
          </div>
          {request.decidedAt ? (
            <div>
              <dt className="text-slate-500">Decided</dt>
              <dd>
                {request.decidedBy}, {formatJst(request.decidedAt)}
                {request.decisionReason ? ` — ${request.decisionReason}` : ""}
              </dd>
            </div>
          ) : null}
          {request.reversalTransactionId ? (
            <div>
              <dt className="text-slate-500">Ledger transaction</dt>
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
          <button type="submit" name="intent" value="withdraw" className="btn-secondary">
            Withdraw this request
          </button>
        </Form>
      ) : null}
    </div>
  );
}
