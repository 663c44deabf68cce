// The security leads' half of keeping a suspect contact: each waiting request with approve / reject and a reason.
// The requester sees their own request without buttons (four eyes; the server refuses it anyway).
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { DecisionForm, RequestPanel, RequestRow } from "~/components/request-panel";
import { formatJst } from "~/lib/format";
import type { KeepRequestRow } from "~/recovery/keep-contact.server";

export function KeepRequestsPanel({ rows, me, error }: { rows: KeepRequestRow[]; me: string; error?: string | null }) {
  const { t } = useTranslation("recovery");
  const language = usePageLanguage();
  return (
    <RequestPanel
      testId="keep-requests"
      title={t("keepRequests.title")}
      intro={t("keepRequests.intro")}
      error={error}
      isEmpty={rows.length === 0}
      emptyText={t("keepRequests.none")}
    >
      {rows.map((row) => (
        <RequestRow key={row.id} testId={`keep-${row.id}`}>
          <p>
            {t("keepRequests.asks", {
              at: formatJst(row.requestedAt, language),
              who: row.requestedById === me ? t("keepRequests.you", { name: row.requestedBy }) : row.requestedBy,
              field: t(`keepRequests.field.${row.field}`),
            })}
            <strong className="break-all">{row.value}</strong>
            {t("keepRequests.of", {
              displayId: row.customer.displayId,
              name: row.customer.name,
              reason: row.reason,
            })}
          </p>
          {row.requestedById === me ? (
            <p className="text-slate-500">{t("keepRequests.ownRequest")}</p>
          ) : (
            <DecisionForm
              requestId={row.id}
              reasonLabel={t("reason")}
              reasonMinLength={5}
              decisions={[
                { name: "decision", value: "approve", label: t("keepRequests.approve"), tone: "approve" },
                { name: "decision", value: "reject", label: t("keepRequests.reject"), tone: "decline" },
              ]}
            />
          )}
        </RequestRow>
      ))}
    </RequestPanel>
  );
}
