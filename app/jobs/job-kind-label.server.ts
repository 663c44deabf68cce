// A bulk job's kind in the reader's language; a kind without a translation keeps its English label.
import type { TFunction } from "i18next";
import { BULK_REVERSAL_KIND } from "~/jobs/bulk-reversal.server";

export function translateJobKind(t: TFunction<"jobs">, kind: string, fallback: string): string {
  if (kind === BULK_REVERSAL_KIND) return t("kind.bulkReversal");
  if (kind === "recovery.bulk-reset") return t("kind.bulkReset");
  if (kind === "risk.backtest") return t("kind.backtest");
  return fallback;
}
