// A security lead decides one waiting reversal: approve (a fresh step-up, and never one's own request) or reject with
// a reason. Approving executes the reversal at once, re-checking what is left of the charge and the wallet.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { yen } from "~/ledger/money";
import { approveReversal, rejectReversal } from "~/ledger/reversal-approval.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { DecisionFields } from "~/ledger/reversal-forms";
import { loadReversalRequest } from "~/ledger/reversal-views.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "approvals:decide";

export const meta: MetaFunction = () => [{ title: "Approve a reversal · Firebreak" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const view = await loadReversalRequest(params.requestId ?? "");
  if (!view) throw new Response("There is no such reversal request.", { status: 404 });
  return json({
    ...view,
    isRequester: view.request.requestedById === ctx.staff.id,
    canApprove: roleHasPermission(ctx.staff.role, "ledger:reverse-large"),
    steppedUp: hasRecentStepUp(ctx),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const requestId = params.requestId ?? "";
  const submission = await parseForm(request, DecisionFields, ctx.staff.language);
  if (submission.status !== "success") return json({ error: "Choose approve or reject." }, { status: 400 });
  try {
    if (submission.value.intent === "approve") {
      // Money moves now: the approver re-enters a code first (and comes back to this page to approve).
      requireStepUp(request, ctx);
      const outcome = await approveReversal(reversalContextOf(ctx), { requestId, comment: submission.value.comment });
      return redirectWithToast(`/reversals/${outcome.requestId}`, {
        kind: "success",
        message: `Approved: ${yen(outcome.amount)} reversed.`,
      });
    }
    if (submission.value.intent === "reject") {
      await rejectReversal(reversalContextOf(ctx), { requestId, reason: submission.value.reason ?? "" });
      return redirectWithToast("/approvals", { kind: "info", message: "Rejected: no money moved." });
    }
    return json({ error: "Only the requester can withdraw a request, from the request's page." }, { status: 400 });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ error: error.message }, { status: error.status });
  }
}

export default function ApproveReversal() {
  const { request, customer, charge, destination, walletBalance, isRequester, canApprove, steppedUp } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = request.status === "PENDING_APPROVAL";
  const busy = navigation.state === "submitting";
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to="/approvals" className="underline">
            Approvals
          </Link>{" "}
          · {customer.displayId} · {customer.name}
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
        <h2 className="font-semibold">Where the money goes</h2>
        <p data-testid="destination">{destination.sentence}</p>
        <p className="text-slate-600">
          {charge.kind === "PURCHASE" ? "Purchase" : "Top-up"} of {yen(charge.amount)} on {formatJst(charge.occurredAt)}
          : {yen(charge.remaining)} left to reverse now. Wallet now {yen(walletBalance)}.
        </p>
        <p>
          Requested by {request.requestedBy} on {formatJst(request.requestedAt)} — {request.reasonLabel}
          {request.note ? `: ${request.note}` : ""}. Waits because{" "}
          {request.approvalRule === "DAILY_CAP"
            ? "it would pass the requester's daily cap"
            : "it is above the threshold"}
          .
        </p>
      </section>
      {pending ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <section className="card space-y-3">
            <h2 className="font-semibold">Approve</h2>
            {isRequester ? (
              <p className="text-sm text-slate-700" data-testid="self-approval">
                You requested this reversal: another security lead must approve it.
              </p>
            ) : !canApprove ? (
              <p className="text-sm text-slate-700">Approving needs the large-reversal permission.</p>
            ) : (
              <Form method="post" className="space-y-3">
                <label className="label" htmlFor="comment">
                  Comment (optional)
                </label>
                <textarea id="comment" name="comment" className="input" rows={2} />
                {!steppedUp ? (
                  <p className="text-sm text-slate-600">You will be asked for a fresh authenticator code first.</p>
                ) : null}
                <button type="submit" name="intent" value="approve" className="btn-danger" disabled={busy}>
                  Approve and reverse {yen(request.amount)}
                </button>
              </Form>
            )}
          </section>
          {!isRequester ? (
            <section className="card space-y-3">
              <h2 className="font-semibold">Reject</h2>
              <Form method="post" className="space-y-3">
                <label className="label" htmlFor="reason">
                  Reason (required)
                </label>
                <textarea id="reason" name="reason" className="input" rows={2} />
                <button type="submit" name="intent" value="reject" className="btn-secondary" disabled={busy}>
                  Reject
                </button>
              </Form>
            </section>
          ) : null}
        </div>
      ) : (
        <p className="text-sm">
          This request is no longer pending.{" "}
          <Link to={`/reversals/${request.id}`} className="underline">
            See it
          </Link>
          .
        </p>
      )}
    </div>
  );
}
