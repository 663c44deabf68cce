// Bulk jobs (reversals, password resets): what is running, what finished, and a way to start a bulk reversal.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { listJobs } from "~/jobs/bulk-job-views.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { formatJst } from "~/lib/format";

export const permission: Permission = "bulk:run";

export const meta: MetaFunction = () => [{ title: "Bulk jobs · Firebreak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  return json({ jobs: await listJobs() });
}

export default function Jobs() {
  const { jobs } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <h1 className="text-2xl font-bold">Bulk jobs</h1>
        <Link to="/reversals/bulk" className="btn-primary">
          New bulk reversal…
        </Link>
      </div>
      <section className="card">
        {jobs.length === 0 ? (
          <p className="text-sm text-slate-600">No bulk job has run yet.</p>
        ) : (
          <table className="min-w-full text-sm">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">Started (JST)</th>
                <th className="py-1 pr-4 font-medium">Job</th>
                <th className="py-1 pr-4 font-medium">By</th>
                <th className="py-1 pr-4 font-medium">Status</th>
                <th className="py-1 pr-4 text-right font-medium">Progress</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td className="py-1 pr-4 whitespace-nowrap">{formatJst(job.createdAt)}</td>
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
                    {job.itemsDone.toLocaleString("en-US")} / {job.itemsTotal.toLocaleString("en-US")} ({job.percent}%)
                    {job.itemsFailed > 0 ? `, ${job.itemsFailed} failed` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
