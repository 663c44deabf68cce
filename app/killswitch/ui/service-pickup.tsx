// Which payment services have applied this switch's current version, and when (reported through the service API).
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import type { BoardSwitch } from "~/killswitch/ui/types";

function secondsAfter(t: TFunction<"killswitch">, from: Date | null, to: Date | null): string | null {
  if (!from || !to) return null;
  const seconds = (to.getTime() - from.getTime()) / 1000;
  return seconds >= 0 ? t("pickup.secondsAfter", { seconds: seconds.toFixed(1) }) : null;
}

function usePickupText() {
  const { t, i18n } = useTranslation("killswitch");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return { t, at: (value: Date | null | undefined) => formatJst(value, language) };
}

export function ServicePickup({ item }: { item: BoardSwitch }) {
  const { t } = usePickupText();
  if (item.services.length === 0) {
    return <p className="text-xs text-slate-500">{t("pickup.none")}</p>;
  }
  return (
    <>
      {item.lagging.length > 0 ? <LaggingAlert item={item} /> : null}
      <ServiceTable item={item} />
    </>
  );
}

/** Services still on an older version well after the change may still be doing what the switch stops: say so loudly. */
function LaggingAlert({ item }: { item: BoardSwitch }) {
  const { t, at } = usePickupText();
  const list = item.lagging
    .map((l) => t("pickup.stillOn", { name: `${l.serviceName}/${l.instance}`, version: l.appliedVersion }))
    .join(", ");
  return (
    <div
      role="alert"
      data-testid={`lagging-${item.key}`}
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900"
    >
      <p className="font-semibold">
        {t("pickup.lagging", { count: item.lagging.length, version: item.version, at: at(item.changedAt) })}
      </p>
      <p className="mt-1">{t(item.engaged ? "pickup.untilEngaged" : "pickup.untilReleased", { list })}</p>
    </div>
  );
}

function ServiceTable({ item }: { item: BoardSwitch }) {
  const { t, at } = usePickupText();
  return (
    <details className="text-sm" data-testid={`services-${item.key}`} open={item.lagging.length > 0}>
      <summary className="cursor-pointer text-slate-700">
        <Trans
          t={t}
          i18nKey="pickup.pickedUp"
          values={{ upToDate: item.servicesUpToDate, total: item.services.length, version: item.version }}
          components={{ strong: <strong /> }}
        />
      </summary>
      <table className="mt-2 min-w-full text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3">{t("pickup.service")}</th>
            <th className="py-1 pr-3">{t("pickup.instance")}</th>
            <th className="py-1 pr-3">{t("pickup.applied")}</th>
            <th className="py-1 pr-3">{t("pickup.pickedUpAt")}</th>
            <th className="py-1">{t("pickup.lastReport")}</th>
          </tr>
        </thead>
        <tbody>
          {item.services.flatMap((service) =>
            service.instances.length === 0
              ? [
                  <tr key={service.serviceName} className="text-amber-800">
                    <td className="py-1 pr-3 font-medium">{service.serviceName}</td>
                    <td className="py-1 pr-3" colSpan={4}>
                      {t("pickup.notReported")}
                    </td>
                  </tr>,
                ]
              : service.instances.map((instance) => (
                  <tr
                    key={`${service.serviceName}/${instance.instance}`}
                    data-testid={`ack-${item.key}-${service.serviceName}-${instance.instance}`}
                    className={
                      instance.silent ? "text-slate-400" : instance.current ? "text-emerald-800" : "text-amber-800"
                    }
                  >
                    <td className="py-1 pr-3 font-medium">{service.serviceName}</td>
                    <td className="py-1 pr-3">{instance.instance}</td>
                    <td className="py-1 pr-3">
                      v{instance.appliedVersion}{" "}
                      {instance.current ? t("pickup.current") : t("pickup.behind", { version: item.version })}
                    </td>
                    <td className="py-1 pr-3">
                      {at(instance.appliedAt)}
                      {instance.current ? ` · ${secondsAfter(t, item.changedAt, instance.appliedAt) ?? ""}` : ""}
                    </td>
                    <td className="py-1">
                      {at(instance.reportedAt)}
                      {instance.silent ? ` · ${t("pickup.silent")}` : ""}
                    </td>
                  </tr>
                )),
          )}
        </tbody>
      </table>
    </details>
  );
}
