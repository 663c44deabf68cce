// "What would the wallet back end do with a top-up right now?" — the result of running its own admission check per
// channel (app/wallet/probe.server.ts) when this page was loaded.
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import type { Admission } from "~/killswitch/ui/types";

export function AdmissionPanel({ admissions, checkedAt }: { admissions: Admission[]; checkedAt: Date }) {
  const { t, i18n } = useTranslation("killswitch");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <section className="card space-y-2" aria-labelledby="admission-title" data-testid="admission-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="admission-title" className="font-semibold">
          {t("admission.title", { at: formatJst(checkedAt, language) })}
        </h2>
        <a className="text-sm underline" href="/kill-switches">
          {t("admission.checkAgain")}
        </a>
      </div>
      <p className="text-sm text-slate-600">{t("admission.intro")}</p>
      <ul className="grid gap-2 sm:grid-cols-3">
        {admissions.map((admission) => (
          <li
            key={admission.channel}
            data-testid={`admission-${admission.channel}`}
            className={`rounded-md px-3 py-2 text-sm ring-1 ${
              admission.admitted
                ? "bg-emerald-50 text-emerald-900 ring-emerald-200"
                : "bg-red-50 text-red-900 ring-red-200"
            }`}
          >
            <span className="font-semibold">
              {t("admission.topUp", { channel: t(`channel.${admission.channel}`) })}
            </span>{" "}
            {admission.admitted ? t("admission.accepted") : t("admission.refused", { code: admission.code })}
            {admission.message ? (
              <span className="block text-xs">
                {/* The wallet's message is written in English for the customer's app: say it in the reader's language. */}
                {admission.code && i18n.exists(`killswitch:admission.customerMessage.${admission.code}`)
                  ? String(t(`admission.customerMessage.${admission.code}` as never))
                  : admission.message}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
