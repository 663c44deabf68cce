// A signal's evidence in the reader's language, for the cohort pages. The server keeps its English sentence
// (`describeEvidence`, saved with the member); the page says the same from the evidence through cohorts:reason.*,
// and falls back to the saved sentence when a member was saved without its evidence.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import type { Language } from "~/i18n/config";
import type { Evidence } from "~/incidents/cohorts/reasons";
import { platformName } from "~/lib/device-platform";
import { formatJst, formatYen } from "~/lib/format";

export interface CohortReason {
  code: string;
  detail: string;
  evidence?: unknown;
}

export function useReasonText(): (reason: CohortReason) => string {
  const { t } = useTranslation("cohorts");
  const language = usePageLanguage();
  return (reason) => reasonText(reason, t, language);
}

/** A signal's evidence as a sentence in `language`, through `t` of the cohorts namespace. */
export function reasonText(
  { code, detail, evidence }: CohortReason,
  t: TFunction<"cohorts">,
  language: Language | undefined,
): string {
  const say = (key: string, params: Record<string, unknown>) => String(t(`reason.${key}` as never, params as never));
  if (!evidence || typeof evidence !== "object") return detail;
  const e = evidence as Evidence;
  const text = (value: unknown) => (value === null || value === undefined ? "?" : String(value));
  const yen = (value: unknown) => (typeof value === "number" ? formatYen(value, language) : text(value));
  const when = (value: unknown) =>
    formatJst(typeof value === "string" || value instanceof Date ? value : null, language);
  switch (code) {
    case "newDevice": {
      // The platform named as everywhere else (ADR 111); the model is the wallet's record, shown as stored.
      const platform = typeof e.platform === "string" && e.platform ? platformName(e.platform, language) : null;
      const device = [platform, e.model].filter(Boolean).join(" ") || say("unknownDevice", {});
      return say("newDevice", { device, at: when(e.at), country: text(e.country), ip: text(e.ip) });
    }
    case "foreignSignIn":
      return say("foreignSignIn", { country: text(e.country), ip: text(e.ip), at: when(e.at) });
    case "sharedDevice":
      return say("sharedDevice", { fingerprint: text(e.fingerprint), accounts: text(e.accounts) });
    case "sharedIp":
      return say("sharedIp", { ip: text(e.ip), accounts: text(e.accounts), signedIn: text(e.signedIn) });
    case "topUpThenResellable":
      return say("topUpThenResellable", {
        amount: yen(e.amount),
        at: when(e.at),
        resellable: yen(e.resellableYen),
        purchases: text(e.purchases),
        last: when(e.lastPurchaseAt),
      });
    case "contactChangeBeforeTopUp":
      return say("contactChangeBeforeTopUp", {
        field: say(e.field === "PHONE" ? "phone" : "email", {}),
        changedAt: when(e.changedAt),
        amount: yen(e.amount),
        topUpAt: when(e.topUpAt),
      });
    case "store": {
      const stores = Array.isArray(e.stores) ? e.stores.join(t("reason.storeSeparator")) : text(e.stores);
      return say("store", { purchases: text(e.purchases), yen: yen(e.yen), stores });
    }
    default:
      return detail;
  }
}
