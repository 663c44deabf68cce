// The security leads' half of keeping a suspect contact: each waiting request with approve / reject and a reason.
// The requester sees their own request without buttons (four eyes; the server refuses it anyway).
import { Form } from "@remix-run/react";
import { formatJst } from "~/lib/format";

export interface KeepRequestRow {
  id: string;
  field: "EMAIL" | "PHONE";
  value: string;
  reason: string;
  requestedAt: string;
  requestedById: string;
  requestedBy: string;
  customer: { id: string; displayId: string; name: string };
}

export function KeepRequestsPanel({ rows, me, error }: { rows: KeepRequestRow[]; me: string; error?: string | null }) {
  return (
    <section className="card space-y-3" data-testid="keep-requests">
      <h2 className="font-semibold">Contacts to keep after a suspicious change</h2>
      <p className="text-sm text-slate-600">
        The caller proved control of the known-good contact and says the new one is theirs. Approving lets reset links
        go to the new one. Only approve if the agent&apos;s reason convinces you.
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing is waiting.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((row) => (
            <li key={row.id} className="space-y-2 py-2 text-sm" data-testid={`keep-${row.id}`}>
              <p>
                {formatJst(row.requestedAt)} · {row.requestedById === me ? `${row.requestedBy} (you)` : row.requestedBy}{" "}
                asks to keep the {row.field === "EMAIL" ? "email" : "phone"}{" "}
                <strong className="break-all">{row.value}</strong> of {row.customer.displayId} · {row.customer.name}: “
                {row.reason}”
              </p>
              {row.requestedById === me ? (
                <p className="text-slate-500">Another security lead must decide your own request.</p>
              ) : (
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="requestId" value={row.id} />
                  <label className="grow">
                    <span className="label">Reason (goes in the audit log)</span>
                    <input className="input mt-1" name="reason" required minLength={5} maxLength={500} />
                  </label>
                  <button type="submit" name="decision" value="approve" className="btn-primary">
                    Approve
                  </button>
                  <button type="submit" name="decision" value="reject" className="btn-danger">
                    Reject
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
