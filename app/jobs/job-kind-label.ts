// A bulk job's kind in the reader's language; a kind without a translation keeps its English label. Browser-safe, so
// the dashboard's job panel translates with the same map as the job pages' loaders.
import type { TFunction } from "i18next";

// By the kinds the job handlers register (BULK_REVERSAL_KIND in ~/jobs/bulk-reversal.server, the cohort reset's and
// the backtest's): written out here because those modules are server-only.
const KIND_KEYS: Record<string, "kind.bulkReversal" | "kind.bulkFreeze" | "kind.bulkReset" | "kind.backtest"> = {
  "ledger.bulk-reversal": "kind.bulkReversal",
  "accounts.bulk-freeze": "kind.bulkFreeze",
  "recovery.bulk-reset": "kind.bulkReset",
  "risk.backtest": "kind.backtest",
};

export function translateJobKind(t: TFunction<"jobs">, kind: string, fallback: string): string {
  const key = KIND_KEYS[kind];
  return key ? t(key) : fallback;
}
