// The security leads' queue: reversals waiting for approval, oldest first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { yen } from "~/ledger/money";
import { listPendingApprovals } from "~/ledger/reversal-views.server";
import { formatJst } from "~/lib/format";

export const permission: Permission = "approvals:decide";

export const meta: MetaFunction = () => [{ title: "Approvals · Firebreak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return json({ pending: await listPendingApprovals(), me: ctx.staff.id });
}

export default function Approvals() {
  const { pending, me } = useLoaderData<typeof loader>();
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
    </div>
  );
}
