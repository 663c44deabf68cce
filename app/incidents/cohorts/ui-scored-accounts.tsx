// Accounts with their risk score and the reasons for it: the signal search's preview and a saved cohort's members are
// the same table. Rendered in the browser; it takes the server's row type only.
import { Link } from "@remix-run/react";
import { AccountStatusBadge, RiskScore } from "~/accounts/ui/badges";
import type { SignalMatch } from "~/incidents/cohorts/signals.server";
import { useReasonText } from "~/incidents/cohorts/ui-reason-text";

export function ScoredAccountsTable({
  rows,
  headings,
  rowTestId,
}: {
  rows: SignalMatch[];
  headings: { score: string; account: string; reasons: string };
  rowTestId: string;
}) {
  const reasonText = useReasonText();
  return (
    <table className="min-w-full text-sm">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-1 pr-3">{headings.score}</th>
          <th className="py-1 pr-3">{headings.account}</th>
          <th className="py-1">{headings.reasons}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((m) => (
          <tr key={m.customerId} className="align-top" data-testid={rowTestId}>
            <td className="py-2 pr-3">
              <RiskScore score={m.riskScore} />
            </td>
            <td className="py-2 pr-3">
              <Link className="font-mono underline" to={`/accounts/${m.customerId}`}>
                {m.displayId}
              </Link>
              <div>{m.name}</div>
              <AccountStatusBadge status={m.status} />
            </td>
            <td className="py-2">
              <ul className="space-y-0.5">
                {m.reasons.map((r) => (
                  <li key={r.code} className={r.selected ? "" : "text-slate-500"}>
                    <span className="font-mono text-xs">+{r.points}</span> {reasonText(r)}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
