// Bulk jobs and notice campaigns with native progress bars (accessible without extra markup), the case funnel and the
// kill-switch strip: numbers first, each bar labelled with the counts it draws.
import { Link } from "@remix-run/react";
import type { CommandCopy } from "~/incidents/command/copy";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { formatCount, formatJst, formatYen } from "~/lib/format";

const ONE_MINUTE = 60 * 1000;
const ONE_HOUR = 60 * ONE_MINUTE;

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < ONE_HOUR) return `${Math.round(ms / ONE_MINUTE)} min`;
  return `${(ms / ONE_HOUR).toFixed(1)} h`;
}

export function JobsPanel({ jobs, copy }: { jobs: DashboardView["jobs"]; copy: CommandCopy }) {
  if (jobs.length === 0) return <p className="text-sm text-slate-600">{copy.noJobs}</p>;
  return (
    <ul className="space-y-3">
      {jobs.map((job) => {
        const done = job.succeeded + job.skipped + job.failed;
        return (
          <li key={job.id} className="space-y-1 text-sm" data-testid="job-progress">
            <div className="flex flex-wrap justify-between gap-2">
              <Link className="underline" to={`/jobs/${job.id}`}>
                {job.kind} · {job.status.toLowerCase()}
              </Link>
              <span className="tabular-nums" data-testid="job-progress-text">
                {formatCount(done)} / {formatCount(job.total)} · {copy.succeeded} {formatCount(job.succeeded)} ·{" "}
                {copy.skipped} {formatCount(job.skipped)} · {copy.failed} {formatCount(job.failed)} ·{" "}
                {formatYen(job.amountDoneYen)}
              </span>
            </div>
            <progress
              className="h-2 w-full"
              max={Math.max(job.total, 1)}
              value={done}
              aria-label={`${job.kind} ${done}/${job.total}`}
            />
          </li>
        );
      })}
    </ul>
  );
}

export function CampaignsPanel({ campaigns, copy }: { campaigns: DashboardView["campaigns"]; copy: CommandCopy }) {
  if (campaigns.length === 0) return <p className="text-sm text-slate-600">{copy.noCampaigns}</p>;
  return (
    <ul className="space-y-3">
      {campaigns.map((c) => {
        const settled = c.sent + c.failed + c.skipped + c.uncertain;
        return (
          <li key={c.template} className="space-y-1 text-sm" data-testid="campaign-progress">
            <div className="flex flex-wrap justify-between gap-2">
              <span className="font-mono">{c.template}</span>
              <span className="tabular-nums">
                {copy.sent} {formatCount(c.sent)} · {copy.queued} {formatCount(c.queued)} · {copy.failed}{" "}
                {formatCount(c.failed)} · {copy.skipped} {formatCount(c.skipped)} · {copy.uncertain}{" "}
                {formatCount(c.uncertain)} / {formatCount(c.total)}
              </span>
            </div>
            <progress
              className="h-2 w-full"
              max={Math.max(c.total, 1)}
              value={settled}
              aria-label={`${c.template} ${settled}/${c.total}`}
            />
          </li>
        );
      })}
    </ul>
  );
}

export function FunnelTable({ funnel, copy }: { funnel: DashboardView["funnel"]; copy: CommandCopy }) {
  const total = funnel[0]?.reached ?? 0;
  return (
    <table className="min-w-full text-sm" data-testid="case-funnel">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr>
          <th className="pr-3">{copy.state}</th>
          <th className="pr-3 text-right">{copy.now}</th>
          <th className="pr-3 text-right">{copy.reached}</th>
          <th className="pr-3">{copy.medianFromOpen}</th>
          <th className="w-1/3" />
        </tr>
      </thead>
      <tbody>
        {funnel.map((stage) => (
          <tr key={stage.status}>
            <td className="pr-3">{stage.status.toLowerCase()}</td>
            <td className="pr-3 text-right tabular-nums">{formatCount(stage.current)}</td>
            <td className="pr-3 text-right tabular-nums">{formatCount(stage.reached)}</td>
            <td className="pr-3">{formatDuration(stage.medianMsFromOpen)}</td>
            <td>
              <progress
                className="h-2 w-full"
                max={Math.max(total, 1)}
                value={stage.reached}
                aria-label={`${stage.status} ${stage.reached}/${total}`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SwitchStripTable({ switches, copy }: { switches: DashboardView["switches"]; copy: CommandCopy }) {
  return (
    <table className="min-w-full text-sm" data-testid="switch-strip">
      <tbody className="divide-y divide-slate-100">
        {switches.map((s) => (
          <tr key={s.key}>
            <td className="py-1 pr-3">
              <span className="font-mono">{s.key}</span>{" "}
              <span className={s.engaged ? "font-semibold text-red-700" : "text-slate-500"}>
                {s.engaged ? copy.engaged : copy.released}
              </span>
            </td>
            <td className="py-1 text-xs">
              {s.changes.length === 0
                ? copy.noChanges
                : s.changes
                    .map((c) => `${c.engaged ? "▲" : "▽"} ${c.kind.toLowerCase()} ${formatJst(c.at)}`)
                    .join(" · ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
