// Status markers of reversal requests and bulk jobs (browser-safe).
import { useTranslation } from "react-i18next";

const TONES = {
  red: "bg-red-50 text-red-800 ring-red-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
} as const;

const STATUS_TONE: Record<string, keyof typeof TONES> = {
  COMPLETED: "green",
  SUCCEEDED: "green",
  PENDING_APPROVAL: "amber",
  QUEUED: "amber",
  RUNNING: "blue",
  REJECTED: "red",
  FAILED: "red",
  WITHDRAWN: "slate",
  CANCELLED: "slate",
  SKIPPED: "slate",
  PENDING: "amber",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t, i18n } = useTranslation("reversals");
  const tone = TONES[STATUS_TONE[status] ?? "slate"];
  // A status without a translation reads as its code in lower case.
  const key = `reversals:status.${status}`;
  const label = i18n.exists(key)
    ? t(`status.${status}` as "status.COMPLETED")
    : status.replace(/_/g, " ").toLowerCase();
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${tone}`}
    >
      {label}
    </span>
  );
}
