// Read-only sections of the recovery page: the customer's state, the contact history and the reset links. Rendered in
// the browser too, so nothing here imports server code.
import { formatJst } from "~/lib/format";

export interface HistoryRow {
  id: string;
  field: "EMAIL" | "PHONE";
  oldValue: string;
  newValue: string;
  changedAt: string;
  source: string;
  ip: string | null;
  oldValueVerified: boolean;
  device: { platform: string; model: string | null; firstSeenAt: string; revokedAt: string | null } | null;
  suspect: boolean;
  suggested: boolean;
  restorable: boolean;
}

export function Badge({ tone, children }: { tone: "red" | "amber" | "green" | "slate"; children: React.ReactNode }) {
  const tones = {
    red: "bg-red-50 text-red-800 ring-red-200",
    amber: "bg-amber-50 text-amber-900 ring-amber-200",
    green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    slate: "bg-slate-100 text-slate-700 ring-slate-200",
  } as const;
  return (
    <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${tones[tone]}`}>
      {children}
    </span>
  );
}

const SOURCE_LABEL: Record<string, string> = {
  APP: "customer's app",
  SUPPORT: "support desk",
  STAFF_RESTORE: "restored by an agent",
  STAFF_CONFIRM: "confirmed by an agent",
};

export function ContactHistory({ rows }: { rows: HistoryRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No contact changes on record.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm" data-testid="contact-history">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-4">When (JST)</th>
            <th className="py-2 pr-4">Field</th>
            <th className="py-2 pr-4">From</th>
            <th className="py-2 pr-4">To</th>
            <th className="py-2 pr-4">By</th>
            <th className="py-2 pr-4">Device / IP</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="contact-change" data-suspect={row.suspect ? "true" : "false"}>
              <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.changedAt)}</td>
              <td className="py-2 pr-4">{row.field === "EMAIL" ? "Email" : "Phone"}</td>
              <td className="py-2 pr-4">
                <div className="break-all">{row.oldValue}</div>
                <div className="mt-1 flex flex-wrap gap-1">
                  {row.oldValueVerified ? (
                    <Badge tone="green">verified</Badge>
                  ) : (
                    <Badge tone="slate">never verified</Badge>
                  )}
                  {row.suggested ? <Badge tone="green">last known-good</Badge> : null}
                </div>
              </td>
              <td className="py-2 pr-4 break-all">{row.newValue}</td>
              <td className="py-2 pr-4">
                {SOURCE_LABEL[row.source] ?? row.source}
                {row.suspect ? (
                  <div className="mt-1">
                    <Badge tone="red">unreviewed, recent</Badge>
                  </div>
                ) : null}
              </td>
              <td className="py-2 pr-4 text-xs text-slate-600">
                {row.device ? (
                  <>
                    {row.device.platform} {row.device.model ?? ""} · first seen {formatJst(row.device.firstSeenAt)}
                    {row.device.revokedAt ? " · revoked" : ""}
                  </>
                ) : (
                  "—"
                )}
                {row.ip ? <div>{row.ip}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface LinkRow {
  origin: "STAFF_FORCED" | "SELF_SERVICE";
  sentTo: string;
  createdAt: string;
  expiresAt: string;
  state: "ACTIVE" | "USED" | "EXPIRED" | "SUPERSEDED";
}

const LINK_TONE = { ACTIVE: "amber", USED: "green", EXPIRED: "slate", SUPERSEDED: "slate" } as const;

export function ResetLinks({ rows }: { rows: LinkRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No reset link has been sent.</p>;
  return (
    <table className="min-w-full text-left text-sm" data-testid="reset-links">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-4">Sent (JST)</th>
          <th className="py-2 pr-4">To</th>
          <th className="py-2 pr-4">Asked by</th>
          <th className="py-2 pr-4">Valid until</th>
          <th className="py-2 pr-4">State</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={`${row.createdAt}-${row.sentTo}`}>
            <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.createdAt)}</td>
            <td className="py-2 pr-4 break-all">{row.sentTo}</td>
            <td className="py-2 pr-4">{row.origin === "STAFF_FORCED" ? "an agent" : "the customer"}</td>
            <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.expiresAt)}</td>
            <td className="py-2 pr-4">
              <Badge tone={LINK_TONE[row.state]}>{row.state.toLowerCase()}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
