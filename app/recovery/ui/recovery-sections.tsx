// Read-only sections of the recovery page: the customer's state, the contact history and the reset links. Rendered in
// the browser too, so nothing here imports server code but its types: single fetch delivers the loader's values as
// they are (dates stay dates), so the sections take the rows the server's view builds.
import { formatContact } from "~/accounts/masking";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { Pill } from "~/components/pill";
import { platformName } from "~/lib/device-platform";
import { formatJst } from "~/lib/format";
import type { HistoryRow, LinkRow } from "~/recovery/recovery-view.server";

export function ContactHistory({ rows }: { rows: HistoryRow[] }) {
  const { t, i18n } = useTranslation("recovery");
  const language = usePageLanguage();
  const source = (value: string) =>
    i18n.exists(`recovery:history.source.${value}`) ? t(`history.source.${value}` as never) : value;
  if (rows.length === 0) return <p className="text-sm text-slate-600">{t("history.none")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm" data-testid="contact-history">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-4">{t("history.when")}</th>
            <th className="py-2 pr-4">{t("history.field")}</th>
            <th className="py-2 pr-4">{t("history.from")}</th>
            <th className="py-2 pr-4">{t("history.to")}</th>
            <th className="py-2 pr-4">{t("history.by")}</th>
            <th className="py-2 pr-4">{t("history.deviceIp")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="contact-change" data-suspect={row.suspect ? "true" : "false"}>
              <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.changedAt, language)}</td>
              <td className="py-2 pr-4">{t(`history.fieldName.${row.field}`)}</td>
              <td className="py-2 pr-4">
                <div className="break-all">{formatContact(row.field, row.oldValue)}</div>
                <div className="mt-1 flex flex-wrap gap-1">
                  {row.oldValueVerified ? (
                    <Pill tone="green">{t("history.verified")}</Pill>
                  ) : (
                    <Pill tone="slate">{t("history.neverVerified")}</Pill>
                  )}
                  {row.suggested ? <Pill tone="green">{t("history.lastKnownGood")}</Pill> : null}
                </div>
              </td>
              <td className="py-2 pr-4 break-all">{formatContact(row.field, row.newValue)}</td>
              <td className="py-2 pr-4">
                {source(row.source)}
                {row.suspect ? (
                  <div className="mt-1">
                    <Pill tone="red">{t("history.suspect")}</Pill>
                  </div>
                ) : null}
              </td>
              <td className="py-2 pr-4 text-xs text-slate-600">
                {row.device ? (
                  <>
                    {platformName(row.device.platform, language)} {row.device.model ?? ""} ·{" "}
                    {t("history.firstSeen", { at: formatJst(row.device.firstSeenAt, language) })}
                    {row.device.revokedAt ? t("history.revoked") : ""}
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

const LINK_TONE = { ACTIVE: "amber", USED: "green", EXPIRED: "slate", SUPERSEDED: "slate" } as const;

export function ResetLinks({ rows }: { rows: LinkRow[] }) {
  const { t } = useTranslation("recovery");
  const language = usePageLanguage();
  if (rows.length === 0) return <p className="text-sm text-slate-600">{t("links.none")}</p>;
  return (
    <table className="min-w-full text-left text-sm" data-testid="reset-links">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-4">{t("links.sent")}</th>
          <th className="py-2 pr-4">{t("links.to")}</th>
          <th className="py-2 pr-4">{t("links.askedBy")}</th>
          <th className="py-2 pr-4">{t("links.validUntil")}</th>
          <th className="py-2 pr-4">{t("links.state")}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={`${row.createdAt}-${row.sentTo}`}>
            <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.createdAt, language)}</td>
            <td className="py-2 pr-4 break-all">{row.sentTo}</td>
            <td className="py-2 pr-4">{t(`links.origin.${row.origin}`)}</td>
            <td className="py-2 pr-4 whitespace-nowrap">{formatJst(row.expiresAt, language)}</td>
            <td className="py-2 pr-4">
              <Pill tone={LINK_TONE[row.state]}>{t(`links.linkState.${row.state}`)}</Pill>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
