// The change history (who changed which switch, when and why) and the recent decisions on release requests.
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import { useSwitchNames } from "~/killswitch/ui/switch-names";
import type { BoardData } from "~/killswitch/ui/types";

function useBoardText() {
  const { t, i18n } = useTranslation("killswitch");
  const names = useSwitchNames();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return {
    t,
    at: (value: Date | null | undefined) => formatJst(value, language),
    nameOf: (row: { switchKey: string; label: string }) => names(row.switchKey, row).label,
  };
}

export function ChangeHistory({ history }: { history: BoardData["history"] }) {
  const { t, at, nameOf } = useBoardText();
  return (
    <section className="card overflow-x-auto p-0" aria-labelledby="history-title">
      <h2 id="history-title" className="px-5 pt-4 font-semibold">
        {t("history.title")}
      </h2>
      {history.length === 0 ? (
        <p className="px-5 pb-4 text-sm text-slate-600">{t("history.empty")}</p>
      ) : (
        <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="switch-history">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">{t("history.when")}</th>
              <th className="px-4 py-2">{t("history.switch")}</th>
              <th className="px-4 py-2">{t("history.change")}</th>
              <th className="px-4 py-2">{t("history.by")}</th>
              <th className="px-4 py-2">{t("history.why")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.map((change) => (
              <tr key={change.id}>
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">{at(change.occurredAt)}</td>
                <td className="px-4 py-2">
                  {nameOf(change)} <span className="text-xs text-slate-500">v{change.version}</span>
                </td>
                <td className="px-4 py-2">
                  {t(`history.kind.${change.kind}`)}
                  {change.kind === "ENGAGE" && change.releaseAt ? (
                    <span className="block text-xs text-slate-500">
                      {t("history.autoRelease", { at: at(change.releaseAt) })}
                    </span>
                  ) : null}
                </td>
                <td className="px-4 py-2">
                  {change.kind === "RELEASE" ? (
                    <>
                      {t("history.requestedBy", { name: change.actor?.name })}
                      <span className="block text-xs text-slate-500">
                        {t("history.approvedBy", { name: change.approvedBy?.name })}
                      </span>
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
  const { t, at, nameOf } = useBoardText();
  if (decisions.length === 0) return null;
  return (
    <section className="card overflow-x-auto p-0" aria-labelledby="decisions-title">
      <h2 id="decisions-title" className="px-5 pt-4 font-semibold">
        {t("decisions.title")}
      </h2>
      <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="release-decisions">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">{t("decisions.decided")}</th>
            <th className="px-4 py-2">{t("history.switch")}</th>
            <th className="px-4 py-2">{t("decisions.outcome")}</th>
            <th className="px-4 py-2">{t("decisions.requestedBy")}</th>
            <th className="px-4 py-2">{t("decisions.decidedBy")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {decisions.map((decision) => (
            <tr key={decision.id}>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{at(decision.decidedAt)}</td>
              <td className="px-4 py-2">{nameOf(decision)}</td>
              <td className="px-4 py-2">{t(`decisions.status.${decision.status}`)}</td>
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
