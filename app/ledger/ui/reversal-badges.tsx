// Status markers of reversal requests and bulk jobs (browser-safe).
import { useTranslation } from "react-i18next";
import { Pill, type Tone } from "~/components/pill";

const STATUS_TONE: Record<string, Tone> = {
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
  // A status without a translation reads as its code in lower case.
  const key = `reversals:status.${status}`;
  const label = i18n.exists(key)
    ? t(`status.${status}` as "status.COMPLETED")
    : status.replace(/_/g, " ").toLowerCase();
  return (
    <Pill tone={STATUS_TONE[status] ?? "slate"} testId={testId}>
      {label}
    </Pill>
  );
}
