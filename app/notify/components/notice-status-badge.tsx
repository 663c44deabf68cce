import { useNoticeLabels } from "~/notify/components/use-notice-labels";
import type { NoticeStatus } from "~/notify/notice-status";

const TONE: Record<NoticeStatus, string> = {
  QUEUED: "bg-slate-100 text-slate-700 ring-slate-300",
  SENDING: "bg-sky-50 text-sky-800 ring-sky-300",
  SENT: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  FAILED: "bg-red-50 text-red-800 ring-red-300",
  SKIPPED: "bg-amber-50 text-amber-900 ring-amber-300",
  UNCERTAIN: "bg-orange-50 text-orange-900 ring-orange-400",
};

export function NoticeStatusBadge({ status }: { status: NoticeStatus }) {
  const { statusLabel, statusHelp } = useNoticeLabels();
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[status]}`}
      title={statusHelp(status)}
      data-status={status}
    >
      {statusLabel(status)}
    </span>
  );
}
