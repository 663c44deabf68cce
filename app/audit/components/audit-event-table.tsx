// The audit rows of one page, newest first. Each row opens (a native <details>, so no script is needed) to its
// before/after diff and to where the request came from. Stored text is shown with its direction controls made
// visible (RevealedText): a reason or a User-Agent must read as it is stored.
import { useTranslation } from "react-i18next";
import type { AuditRowView } from "~/audit/audit-search.server";
import { ActionName } from "~/audit/components/action-name";
import { AuditDiff } from "~/audit/components/audit-diff";
import { SystemReason } from "~/audit/components/system-reason";
import { RevealedText } from "~/components/revealed-text";
import { auditRoleName } from "~/audit/system-reasons";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";

const OUTCOME_STYLE: Record<string, string> = {
  SUCCESS: "bg-emerald-100 text-emerald-900",
  DENIED: "bg-amber-100 text-amber-900",
  FAILED: "bg-red-100 text-red-900",
};

function Dash() {
  return <span className="text-slate-400">—</span>;
}

export function AuditEventTable({ rows }: { rows: AuditRowView[] }) {
  const { t, i18n } = useTranslation("audit");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  // The trail's roles are the staff roles and the system's, the service's and no one's: the filter above names all of
  // them, and a row says its role in the same words (a staff role's name alone left "SYSTEM" in English).
  const roleName = (role: string) => auditRoleName(role, language);
  const outcomeKey = (outcome: string) => `audit:table.outcomes.${outcome}`;
  if (rows.length === 0) {
    return (
      <p className="card text-slate-600" data-testid="audit-empty">
        {t("table.empty")}
      </p>
    );
  }
  return (
    <div className="card overflow-x-auto p-0">
      <table className="min-w-full text-left text-sm" data-testid="audit-table">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t("table.seq")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.time")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.actor")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.action")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.target")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.outcome")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("table.reason")}
            </th>
          </tr>
        </thead>
        {rows.map((row) => (
          <tbody key={row.seq} className="border-b border-slate-100" data-testid="audit-row" data-seq={row.seq}>
            <tr>
              <td className="px-3 pt-2 font-mono text-xs text-slate-500">{row.seq}</td>
              <td className="whitespace-nowrap px-3 pt-2">{formatJst(row.occurredAt, language)}</td>
              <td className="px-3 pt-2">
                <div className="break-all">
                  {/* Without a name, the actor is its id (a staff id, or a system actor's code such as system:seed). */}
                  {row.actorLabel !== null ? (
                    <RevealedText text={row.actorLabel} />
                  ) : row.actorId !== null ? (
                    <code className="text-xs">{row.actorId}</code>
                  ) : (
                    <Dash />
                  )}
                </div>
                <div className="text-xs text-slate-500">
                  {row.actorRole === null ? t("table.anonymous") : roleName(row.actorRole)}
                </div>
              </td>
              <td className="px-3 pt-2" data-testid="audit-action">
                <ActionName code={row.action} />
              </td>
              <td className="px-3 pt-2">
                {/* The stored record type (customer, staff, route…), a code like the action beside it. */}
                <code className="text-xs text-slate-500">{row.targetType ?? ""}</code>
                <code className="block break-all text-xs">
                  {row.targetId !== null ? <RevealedText text={row.targetId} /> : <Dash />}
                </code>
              </td>
              <td className="whitespace-nowrap px-3 pt-2">
                <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${OUTCOME_STYLE[row.outcome] ?? ""}`}>
                  {i18n.exists(outcomeKey(row.outcome)) ? t(`table.outcomes.${row.outcome as "SUCCESS"}`) : row.outcome}
                </span>
              </td>
              <td className="px-3 pt-2" data-testid="audit-reason">
                {/* The system's own sentences in the page's language, a member's words as stored (ADR 111). */}
                {row.reason !== null ? <SystemReason text={row.reason} action={row.action} /> : <Dash />}
              </td>
            </tr>
            <tr>
              <td colSpan={7} className="px-3 pb-2">
                <details className="text-sm">
                  <summary className="cursor-pointer select-none text-xs text-slate-600 underline">
                    {t("table.details")}
                  </summary>
                  <div className="mt-2 space-y-3 rounded bg-slate-50 p-3">
                    <AuditDiff before={row.before} after={row.after} />
                    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-2">
                      <div>
                        <dt className="inline font-medium">{t("table.incident")}</dt>
                        <dd className="inline">{row.incidentCode ?? row.incidentId ?? "—"}</dd>
                      </div>
                      <div>
                        <dt className="inline font-medium">{t("table.actorId")}</dt>
                        <dd className="inline break-all">{row.actorId ? <code>{row.actorId}</code> : "—"}</dd>
                      </div>
                      <div>
                        <dt className="inline font-medium">{t("table.ip")}</dt>
                        <dd className="inline font-mono">{row.ip ?? "—"}</dd>
                      </div>
                      <div>
                        <dt className="inline font-medium">{t("table.requestId")}</dt>
                        <dd className="inline font-mono">{row.requestId ?? "—"}</dd>
                      </div>
                      <div className="sm:col-span-2">
                        <dt className="inline font-medium">{t("table.userAgent")}</dt>
                        <dd className="inline break-all">
                          {row.userAgent !== null ? <RevealedText text={row.userAgent} /> : "—"}
                        </dd>
                      </div>
                      <div className="sm:col-span-2">
                        <dt className="inline font-medium">{t("table.hash")}</dt>
                        <dd className="inline break-all font-mono">{row.hash}</dd>
                      </div>
                    </dl>
                  </div>
                </details>
              </td>
            </tr>
          </tbody>
        ))}
      </table>
    </div>
  );
}
