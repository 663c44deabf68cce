// The incident's reports to the Personal Information Protection Commission: the versions so far and their deadlines,
// and the form that drafts a new one from the incident's data.
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseJstDateTime } from "~/audit/audit-filter";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { deadlineDateJst } from "~/incidents/breach-report/deadlines";
import { DraftReportFields } from "~/incidents/breach-report/report-forms";
import { draftReport, listReports } from "~/incidents/breach-report/reports.server";
import { findIncident } from "~/incidents/command/figures.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";

export const permission: Permission = "incidents:view";

async function incidentOr404(idOrCode: string) {
  try {
    return await findIncident(idOrCode);
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const incident = await incidentOr404(params.incidentId ?? "");
  return json({
    reports: await listReports(incident.id),
    canDraft: roleHasPermission(ctx.staff.role, "breach-report:manage"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, "breach-report:manage");
  const incident = await incidentOr404(params.incidentId ?? "");
  const submission = parseWithZod(await request.formData(), { schema: DraftReportFields });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const learned = parseJstDateTime(submission.value.learnedAt, "The date the company learned of it");
  if ("error" in learned)
    return json(submission.reply({ fieldErrors: { learnedAt: [learned.error] } }), { status: 400 });
  try {
    const report = await draftReport(ctx, {
      incidentId: incident.id,
      kind: submission.value.kind,
      learnedAt: learned.date,
      unauthorizedIntent: submission.value.unauthorizedIntent,
    });
    return redirectWithToast(`/reports/breach/${report.id}`, { kind: "success", message: "Report drafted." });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json(submission.reply({ formErrors: [error.message] }), { status: error.status });
  }
}

export default function IncidentReports() {
  const { reports, canDraft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.error ?? {};
  const messages = [...(errors[""] ?? []), ...(errors.learnedAt ?? []), ...(errors.kind ?? [])];
  return (
    <div className="space-y-6">
      <section className="card space-y-2">
        <h2 className="font-semibold">Breach reports (APPI)</h2>
        {reports.length === 0 ? <p className="text-sm text-slate-600">No report drafted yet.</p> : null}
        <table className="min-w-full text-sm" data-testid="report-list">
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td className="pr-3">
                  <Link className="underline" to={`/reports/breach/${r.id}`}>
                    {r.kind.toLowerCase()} v{r.version}
                  </Link>
                </td>
                <td className="pr-3">due {deadlineDateJst(new Date(r.deadline))} (JST)</td>
                <td className="text-xs text-slate-500">saved {formatJst(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {canDraft ? (
        <section className="card space-y-3">
          <h2 className="font-semibold">Draft a report from the incident&apos;s data</h2>
          <Form method="post" className="flex flex-wrap items-end gap-3 text-sm">
            <label>
              <span className="label">Report</span>
              <select name="kind" className="input mt-1" defaultValue="PRELIMINARY">
                <option value="PRELIMINARY">Preliminary (速報)</option>
                <option value="FINAL">Final (確報)</option>
              </select>
            </label>
            <label>
              <span className="label">Learned of it at (JST)</span>
              <input name="learnedAt" type="datetime-local" className="input mt-1" required />
            </label>
            <label className="flex items-center gap-2">
              <input name="unauthorizedIntent" type="checkbox" defaultChecked />
              Possibly caused with unauthorised intent (60-day final report)
            </label>
            <button type="submit" className="btn-primary">
              Draft report
            </button>
          </Form>
          {messages.length > 0 ? (
            <p role="alert" className="text-sm text-red-700">
              {messages.join(" ")}
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
