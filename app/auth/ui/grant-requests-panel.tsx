// The second admin's half of granting a privileged role: each waiting request with approve / decline and a reason, as
// the leads' queue shows a request to keep a contact. The requester sees their own request without an approve button
// (four eyes; the server refuses it anyway) and may withdraw it by declining.
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { DecisionForm, RequestPanel, RequestRow, type Decision } from "~/components/request-panel";
import type { PendingGrant } from "~/auth/staff-grants.server";
import { StepUpNotice, useRoleName } from "~/auth/ui/staff-badges";
import { formatJst } from "~/lib/format";

interface Props {
  requests: PendingGrant[];
  activeAdmins: number;
  me: string;
  steppedUp: boolean;
  error?: string | null;
}

/** What the request asks, in the reader's language. */
function requestText(
  t: TFunction<"admin">,
  roleName: (role: string) => string,
  row: PendingGrant,
  who: string,
  at: string,
): string {
  // Roles by their names in the reader's language: the codes (SECURITY_LEAD) read as English in a Japanese sentence.
  const { name } = row;
  const role = roleName(row.role);
  const reason = row.reason ?? "";
  switch (row.kind) {
    case "INVITE":
      return t("grants.invite", { who, at, name, email: row.email, role });
    case "REENABLE":
      return t("grants.reenable", { who, at, name, role, reason });
    case "ROLE_RAISE":
      return t("grants.raise", { who, at, name, from: row.fromRole ? roleName(row.fromRole) : "", role, reason });
  }
}

export function GrantRequestsPanel({ requests, activeAdmins, me, steppedUp, error }: Props) {
  const { t } = useTranslation("admin");
  const roleName = useRoleName();
  const language = usePageLanguage();
  const decline: Decision = { name: "intent", value: "decline-grant", label: t("grants.decline"), tone: "decline" };
  const approve: Decision = { name: "intent", value: "approve-grant", label: t("grants.approve"), tone: "approve" };
  return (
    <RequestPanel
      testId="grant-requests"
      title={t("grants.title")}
      intro={t("grants.intro")}
      notice={
        activeAdmins <= 1 ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            <Trans t={t} i18nKey="grants.onlyAdmin" components={{ code: <code /> }} />
          </p>
        ) : null
      }
      error={error}
      errorTestId="grant-error"
      isEmpty={requests.length === 0}
      emptyText={t("grants.none")}
      beforeList={steppedUp ? null : <StepUpNotice returnTo="/admin/staff" what={t("grants.stepUpWhat")} />}
    >
      {requests.map((row) => {
        const own = row.requestedById === me;
        const who = own ? t("grants.you", { name: row.requestedBy }) : row.requestedBy;
        return (
          <RequestRow key={row.id} testId={`grant-${row.id}`}>
            <p>{requestText(t, roleName, row, who, formatJst(row.requestedAt, language))}</p>
            <p className="text-slate-500">{t("grants.expires", { at: formatJst(row.expiresAt, language) })}</p>
            {own ? <p className="text-slate-500">{t("grants.ownRequest")}</p> : null}
            {/* The requester may still withdraw by declining; approving waits for a fresh code. */}
            <DecisionForm
              requestId={row.id}
              reasonLabel={t("grants.reason")}
              reasonMinLength={3}
              decisions={own || !steppedUp ? [decline] : [approve, decline]}
            />
          </RequestRow>
        );
      })}
    </RequestPanel>
  );
}
