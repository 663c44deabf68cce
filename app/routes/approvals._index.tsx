// The security leads' queue, oldest first: reversals waiting for approval, and requests to keep a contact that a
// suspicious change set (decided here, never by the requester).
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { yen } from "~/ledger/money";
import { listPendingApprovals } from "~/ledger/reversal-views.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { decideKeepContact, listPendingKeepRequests } from "~/recovery/keep-contact.server";
import { DecideKeepFields } from "~/recovery/schemas";
import { KeepRequestsPanel } from "~/recovery/ui/keep-requests-panel";
import { z } from "zod";

export const permission: Permission = "approvals:decide";

export const meta: MetaFunction = () => [{ title: "Approvals · Firebreak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return json({ pending: await listPendingApprovals(), keeps: await listPendingKeepRequests(), me: ctx.staff.id });
}

const KeepDecisionForm = DecideKeepFields.extend({ requestId: z.string().uuid("There is no such request.") });

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const submission = parseWithZod(await request.formData(), { schema: KeepDecisionForm });
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return json({ error: first ?? "Approve or reject, with a reason." }, { status: 400 });
  }
  // Approving lets a reset link go to a contact an attacker may have set: the lead re-enters a code first.
  if (submission.value.decision === "approve") requireStepUp(request, ctx);
  try {
    const decided = await decideKeepContact(ctx, submission.value);
    return redirectWithToast("/approvals", {
      kind: decided.status === "APPROVED" ? "success" : "info",
      message:
        decided.status === "APPROVED" ? "Approved: the contact is kept." : "Rejected: the contact stays under review.",
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ error: error.message }, { status: error.status });
  }
}

export default function Approvals() {
  const { pending, keeps, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Reversals waiting for approval</h1>
      <section className="card">
        {pending.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="approvals-empty">
            Nothing is waiting for approval.
          </p>
        ) : (
          <table className="min-w-full text-sm" data-testid="approvals">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">Requested (JST)</th>
                <th className="py-1 pr-4 font-medium">By</th>
                <th className="py-1 pr-4 font-medium">Account</th>
                <th className="py-1 pr-4 text-right font-medium">Amount</th>
                <th className="py-1 pr-4 font-medium">Why it waits</th>
                <th className="py-1" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pending.map((r) => (
                <tr key={r.id}>
                  <td className="py-1 pr-4 whitespace-nowrap">{formatJst(r.requestedAt)}</td>
                  <td className="py-1 pr-4">{r.requestedById === me ? `${r.requestedBy} (you)` : r.requestedBy}</td>
                  <td className="py-1 pr-4">
                    {r.customer.displayId} · {r.customer.name}
                  </td>
                  <td className="py-1 pr-4 text-right tabular-nums">{yen(r.amount)}</td>
                  <td className="py-1 pr-4">{r.approvalRule === "DAILY_CAP" ? "daily cap" : "above threshold"}</td>
                  <td className="py-1 text-right">
                    <Link className="underline" to={`/approvals/${r.id}`}>
                      Review
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <KeepRequestsPanel rows={keeps} me={me} error={actionData?.error} />
    </div>
  );
}
