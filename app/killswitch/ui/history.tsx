// The change history (who changed which switch, when and why) and the recent decisions on release requests.
import { formatJst } from "~/lib/format";
import type { BoardData } from "~/killswitch/ui/types";

const CHANGE_WORDS: Record<BoardData["history"][number]["kind"], string> = {
  ENGAGE: "Engaged",
  RELEASE: "Released (four-eyes)",
  AUTO_RELEASE: "Released automatically",
  CANCEL_AUTO_RELEASE: "Automatic release cancelled",
};

const STATUS_WORDS: Record<BoardData["decisions"][number]["status"], string> = {
  PENDING: "Pending",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  WITHDRAWN: "Withdrawn",
  STALE: "Stale (switch changed)",
};

export function ChangeHistory({ history }: { history: BoardData["history"] }) {
  return (
    <section className="card overflow-x-auto p-0" aria-labelledby="history-title">
      <h2 id="history-title" className="px-5 pt-4 font-semibold">
        Change history
      </h2>
      {history.length === 0 ? (
        <p className="px-5 pb-4 text-sm text-slate-600">No switch has been changed yet.</p>
      ) : (
        <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="switch-history">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">When (JST)</th>
              <th className="px-4 py-2">Switch</th>
              <th className="px-4 py-2">Change</th>
              <th className="px-4 py-2">By</th>
              <th className="px-4 py-2">Why</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.map((change) => (
              <tr key={change.id}>
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatJst(change.occurredAt)}</td>
                <td className="px-4 py-2">
                  {change.label} <span className="text-xs text-slate-500">v{change.version}</span>
                </td>
                <td className="px-4 py-2">
                  {CHANGE_WORDS[change.kind]}
                  {change.kind === "ENGAGE" && change.releaseAt ? (
                    <span className="block text-xs text-slate-500">auto-release {formatJst(change.releaseAt)}</span>
                  ) : null}
                </td>
                <td className="px-4 py-2">
                  {change.kind === "RELEASE" ? (
                    <>
                      requested by {change.actor?.name}
                      <span className="block text-xs text-slate-500">approved by {change.approvedBy?.name}</span>
                    </>
                  ) : (
                    change.actor?.name
                  )}
                </td>
                <td className="px-4 py-2 text-slate-700">{change.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RecentDecisions({ decisions }: { decisions: BoardData["decisions"] }) {
  if (decisions.length === 0) return null;
  return (
    <section className="card overflow-x-auto p-0" aria-labelledby="decisions-title">
      <h2 id="decisions-title" className="px-5 pt-4 font-semibold">
        Release requests decided
      </h2>
      <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="release-decisions">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">Decided (JST)</th>
            <th className="px-4 py-2">Switch</th>
            <th className="px-4 py-2">Outcome</th>
            <th className="px-4 py-2">Requested by · why</th>
            <th className="px-4 py-2">Decided by · why</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {decisions.map((decision) => (
            <tr key={decision.id}>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatJst(decision.decidedAt)}</td>
              <td className="px-4 py-2">{decision.label}</td>
              <td className="px-4 py-2">{STATUS_WORDS[decision.status]}</td>
              <td className="px-4 py-2">
                {decision.requestedBy?.name} · {decision.reason}
              </td>
              <td className="px-4 py-2">
                {decision.decidedBy?.name ?? "—"}
                {decision.decisionReason ? ` · ${decision.decisionReason}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
