// The security leads' half of keeping a suspect contact: each waiting request with approve / reject and a reason.
// The requester sees their own request without buttons (four eyes; the server refuses it anyway).
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { formatJst } from "~/lib/format";
import type { KeepRequestRow } from "~/recovery/keep-contact.server";

export function KeepRequestsPanel({ rows, me, error }: { rows: KeepRequestRow[]; me: string; error?: string | null }) {
  const { t } = useTranslation("recovery");
  const language = usePageLanguage();
  return (
    <section className="card space-y-3" data-testid="keep-requests">
      <h2 className="font-semibold">{t("keepRequests.title")}</h2>
      <p className="text-sm text-slate-600">{t("keepRequests.intro")}</p>
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("keepRequests.none")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((row) => (
            <li key={row.id} className="space-y-2 py-2 text-sm" data-testid={`keep-${row.id}`}>
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
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="requestId" value={row.id} />
                  <label className="grow">
                    <span className="label">{t("reason")}</span>
                    <input className="input mt-1" name="reason" required minLength={5} maxLength={500} />
                  </label>
                  <button type="submit" name="decision" value="approve" className="btn-primary">
                    {t("keepRequests.approve")}
                  </button>
                  <button type="submit" name="decision" value="reject" className="btn-danger">
                    {t("keepRequests.reject")}
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
