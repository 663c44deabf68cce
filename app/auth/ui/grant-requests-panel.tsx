// The second admin's half of granting a privileged role: each waiting request with approve / decline and a reason, as
// the leads' queue shows a request to keep a contact. The requester sees their own request without an approve button
// (four eyes; the server refuses it anyway) and may withdraw it by declining.
import { Form, useNavigation } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import type { PendingGrant } from "~/auth/staff-grants.server";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { formatJst } from "~/lib/format";

interface Props {
  requests: PendingGrant[];
  activeAdmins: number;
  me: string;
  steppedUp: boolean;
  error?: string | null;
}

/** What the request asks, in the reader's language. */
function requestText(t: TFunction<"admin">, row: PendingGrant, who: string, at: string): string {
  const { name, role } = row;
  const reason = row.reason ?? "";
  switch (row.kind) {
    case "INVITE":
      return t("grants.invite", { who, at, name, email: row.email, role });
    case "REENABLE":
      return t("grants.reenable", { who, at, name, role, reason });
    case "ROLE_RAISE":
      return t("grants.raise", { who, at, name, from: row.fromRole ?? "", role, reason });
  }
}

export function GrantRequestsPanel({ requests, activeAdmins, me, steppedUp, error }: Props) {
  const { t } = useTranslation("admin");
  const language = usePageLanguage();
  const navigation = useNavigation();
  return (
    <section className="card space-y-3" data-testid="grant-requests">
      <h2 className="font-semibold">{t("grants.title")}</h2>
      <p className="text-sm text-slate-600">{t("grants.intro")}</p>
      {activeAdmins <= 1 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          {t("grants.onlyAdmin")}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-800" data-testid="grant-error">
          {error}
        </p>
      ) : null}
      {requests.length === 0 ? (
        <p className="text-sm text-slate-600">{t("grants.none")}</p>
      ) : (
        <>
          {steppedUp ? null : <StepUpNotice returnTo="/admin/staff" what={t("grants.stepUpWhat")} />}
          <ul className="divide-y divide-slate-100">
            {requests.map((row) => {
              const own = row.requestedById === me;
              const who = own ? t("grants.you", { name: row.requestedBy }) : row.requestedBy;
              const at = formatJst(row.requestedAt, language);
              return (
                <li key={row.id} className="space-y-2 py-2 text-sm" data-testid={`grant-${row.id}`}>
                  <p>{requestText(t, row, who, at)}</p>
                  <p className="text-slate-500">{t("grants.expires", { at: formatJst(row.expiresAt, language) })}</p>
                  {own ? <p className="text-slate-500">{t("grants.ownRequest")}</p> : null}
                  <Form method="post" className="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="requestId" value={row.id} />
                    <label className="grow">
                      <span className="label">{t("grants.reason")}</span>
                      <input className="input mt-1" name="reason" required minLength={3} maxLength={500} />
                    </label>
                    {own || !steppedUp ? null : (
                      <button
                        type="submit"
                        name="intent"
                        value="approve-grant"
                        className="btn-primary"
                        disabled={navigation.state === "submitting"}
                      >
                        {t("grants.approve")}
                      </button>
                    )}
                    <button
                      type="submit"
                      name="intent"
                      value="decline-grant"
                      className="btn-danger"
                      disabled={navigation.state === "submitting"}
                    >
                      {t("grants.decline")}
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
