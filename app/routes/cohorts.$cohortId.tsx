// One saved cohort: its filters, who is in it (highest risk first, with the reasons saved with each member) and its id
// for the bulk actions. Immutable: to change it, build a new one from the same filters. A lead who may run bulk
// actions also sees the forced-reset panel (its server side: app/recovery/cohort-reset-form.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountStatusBadge, RiskScore } from "~/accounts/ui/badges";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { viewCohort } from "~/incidents/cohorts/cohort-view.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount, formatJst } from "~/lib/format";
import { handleCohortResetAction, loadCohortResetPanel } from "~/recovery/cohort-reset-form.server";
import { COHORT_RESET_INTENT } from "~/recovery/schemas";
import { CohortResetPanel } from "~/recovery/ui/cohort-reset-panel";
import { readForm } from "~/lib/form.server";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.cohort.name} · Cohorts · Firebreak` : "Cohort · Firebreak" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const page = Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10);
  try {
    const view = await viewCohort(ctx, params.cohortId ?? "", Number.isFinite(page) ? page : 1);
    return json({
      ...view,
      canBuild: roleHasPermission(ctx.staff.role, "cohorts:build"),
      canRunBulk: roleHasPermission(ctx.staff.role, "bulk:run"),
      resetPanel: await loadCohortResetPanel(ctx, view.cohort.id),
    });
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, "bulk:run");
  const formData = await readForm(request, ctx.staff.language);
  if (formData.get("intent") !== COHORT_RESET_INTENT) {
    throw new Response("Unknown action on this cohort.", { status: 400 });
  }
  return handleCohortResetAction(request, ctx, params.cohortId ?? "", formData);
}

export default function CohortDetail() {
  const { cohort, members, page, pages, filters, canBuild, canRunBulk, resetPanel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/cohorts">
            ← Saved cohorts
          </Link>
        </p>
        <h1 className="text-2xl font-bold" data-testid="cohort-name">
          {cohort.name}
        </h1>
        <p className="text-sm text-slate-600">
          {formatCount(cohort.memberCount)} accounts · saved {formatJst(cohort.createdAt)}
          {cohort.incidentCode ? ` · ${cohort.incidentCode}` : ""} · id <code data-testid="cohort-id">{cohort.id}</code>
        </p>
      </div>
      {canRunBulk ? (
        <nav className="flex flex-wrap gap-2" aria-label="Bulk actions on this cohort">
          <Link
            className="btn-secondary"
            to={`/reversals/bulk?${new URLSearchParams({ scope: "cohort", cohortId: cohort.id })}`}
            data-testid="cohort-bulk-reverse"
          >
            Reverse this cohort&apos;s charges
          </Link>
        </nav>
      ) : null}
      {resetPanel ? (
        <CohortResetPanel
          data={resetPanel}
          lastResult={actionData && actionData.formKey === COHORT_RESET_INTENT ? actionData.result : undefined}
        />
      ) : null}
      <section className="card space-y-1 text-sm">
        <h2 className="font-semibold">Filters</h2>
        {filters.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        {canBuild && filters.builderQuery ? (
          <Link className="underline" to={`/cohorts/new?${filters.builderQuery}`}>
            Run these filters again
          </Link>
        ) : null}
      </section>
      <section className="card space-y-3">
        <h2 className="font-semibold">Members</h2>
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-3">Score</th>
              <th className="py-1 pr-3">Account</th>
              <th className="py-1">Reasons (at save time)</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.map((m) => (
              <tr key={m.customerId} className="align-top" data-testid="cohort-member">
                <td className="py-2 pr-3">
                  <RiskScore score={m.riskScore} />
                </td>
                <td className="py-2 pr-3">
                  <Link className="font-mono underline" to={`/accounts/${m.customerId}`}>
                    {m.displayId}
                  </Link>
                  <div>{m.name}</div>
                  <AccountStatusBadge status={m.status} />
                </td>
                <td className="py-2">
                  <ul className="space-y-0.5">
                    {m.reasons.map((r) => (
                      <li key={r.code} className={r.selected ? "" : "text-slate-500"}>
                        <span className="font-mono text-xs">+{r.points}</span> {r.detail}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages > 1 ? (
          <nav className="flex gap-3 text-sm" aria-label="Member pages">
            {page > 1 ? (
              <Link className="underline" to={`?page=${page - 1}`}>
                ← Previous
              </Link>
            ) : null}
            <span>
              Page {page} of {pages}
            </span>
            {page < pages ? (
              <Link className="underline" to={`?page=${page + 1}`}>
                Next →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
