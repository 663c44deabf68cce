// The latest backtest job of a rule version: while it runs, how far the replay is (events replayed of the events
// there are), how long it has run and about how long is left; when it failed or was cancelled, that it did not finish.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Language } from "~/i18n/config";
import { formatCount } from "~/lib/format";

export interface BacktestJobProps {
  id: string;
  status: string;
  done: number | null;
  total: number | null;
  createdAt: string;
  startedAt: string | null;
  serverNow: string;
  cancelRequested: boolean;
  lastError: string | null;
}

/** m:ss (h:mm:ss past an hour). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function BacktestProgress({ job, language }: { job: BacktestJobProps; language: Language }) {
  const { t } = useTranslation("risk");
  if (job.status === "FAILED") {
    return (
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="backtest-failed">
        {t("progress.failed", { error: job.lastError ?? "" })}{" "}
        <Link className="underline" to={`/jobs/${job.id}`}>
          {t("progress.job")}
        </Link>
      </p>
    );
  }
  if (job.status === "CANCELLED") {
    return (
      <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="backtest-cancelled">
        {t("progress.cancelled")}
      </p>
    );
  }
  if (job.status !== "QUEUED" && job.status !== "RUNNING") return null;
  const elapsed = Date.parse(job.serverNow) - Date.parse(job.startedAt ?? job.createdAt);
  const { done, total } = job;
  const known = done !== null && total !== null && total > 0;
  const remaining = known && done > 0 ? (elapsed * (total - done)) / done : null;
  return (
    <section className="card space-y-2" data-testid="backtest-progress" aria-live="polite">
      <h2 className="font-semibold">
        {t(job.status === "QUEUED" ? "progress.queued" : "progress.running")}
        {job.cancelRequested ? ` · ${t("progress.cancelling")}` : ""}
      </h2>
      {/* A native progress element: no inline style, which the console's CSP forbids. */}
      <progress
        className="block h-4 w-full appearance-none overflow-hidden rounded bg-slate-200 [&::-moz-progress-bar]:bg-emerald-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-emerald-600"
        value={known ? done : undefined}
        max={known ? total : undefined}
        aria-label={t("progress.label")}
        data-testid="backtest-progress-bar"
      />
      <p className="text-sm tabular-nums text-slate-700">
        {known
          ? t("progress.replayed", { done: formatCount(done, language), total: formatCount(total, language) })
          : t("progress.starting")}
        {" · "}
        {remaining === null
          ? t("progress.elapsed", { elapsed: formatDuration(elapsed) })
          : t("progress.timing", { elapsed: formatDuration(elapsed), remaining: formatDuration(remaining) })}
      </p>
    </section>
  );
}
