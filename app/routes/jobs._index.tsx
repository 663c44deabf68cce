// Bulk jobs (reversals, password resets): what is running, what finished, and a way to start a bulk reversal.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { listJobs } from "~/jobs/bulk-job-views.server";
import { translateJobKind } from "~/jobs/job-kind-label";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { ListTable } from "~/components/list-table";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "bulk:run";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "jobs:pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "jobs");
  const jobs = await listJobs();
  return { jobs: jobs.map((job) => ({ ...job, kind: translateJobKind(t, job.kindCode, job.kind) })) };
}

export default function Jobs() {
  const { jobs } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("jobs");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <Link to="/reversals/bulk" className="btn-primary">
          {t("newBulkReversal")}
        </Link>
      </div>
      <ListTable
        columns={[
          { label: t("started") },
          { label: t("job") },
          { label: t("by") },
          { label: t("status") },
          { label: t("progress"), numeric: true },
        ]}
        isEmpty={jobs.length === 0}
        emptyText={t("empty")}
      >
        {jobs.map((job) => (
          <tr key={job.id}>
            <td className="py-1 pr-4 whitespace-nowrap">{formatJst(job.createdAt, language)}</td>
            <td className="py-1 pr-4">
              <Link to={`/jobs/${job.id}`} className="underline">
                {job.kind}
              </Link>
            </td>
            <td className="py-1 pr-4">{job.createdBy}</td>
            <td className="py-1 pr-4">
              <StatusBadge status={job.status} />
            </td>
            <td className="py-1 pr-4 text-right tabular-nums">
              {formatCount(job.itemsDone, language)} / {formatCount(job.itemsTotal, language)} ({job.percent}%)
              {job.itemsFailed > 0 ? t("failedCount", { count: job.itemsFailed }) : ""}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
