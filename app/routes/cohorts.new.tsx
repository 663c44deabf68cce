// The cohort builder: combine attack signals over a time window, preview the matching accounts ranked by risk score
// with the reasons behind each score, and save the result to an incident as a cohort (an immutable snapshot the bulk
// reversal, reset and notice actions take as input).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { AccountStatusBadge, RiskScore } from "~/accounts/ui/badges";
import {
  builderQuery,
  definitionFromValues,
  readBuilderValues,
  type BuilderValues,
} from "~/incidents/cohorts/builder-params";
import { MAX_WINDOW_DAYS, SIGNAL_LABELS, SIGNAL_POINTS } from "~/incidents/cohorts/definition";
import { PREVIEW_LIMIT } from "~/incidents/cohorts/definition";
import { listIncidentsForCohorts, listStores, previewCohort } from "~/incidents/cohorts/preview.server";
import { saveCohort } from "~/incidents/cohorts/save-cohort.server";
import { now } from "~/lib/clock.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm, refusedField } from "~/lib/form.server";
import { uuidField } from "~/lib/form-text";

export const permission: Permission = "cohorts:build";

export const meta: MetaFunction = () => [{ title: "Build a cohort · Firebreak" }];

const FOUR_DAYS = 4 * 24 * 60 * 60 * 1000;

async function defaults() {
  const incidents = await listIncidentsForCohorts();
  const latest = incidents[0];
  const to = now();
  const from = latest ? latest.openedAt : new Date(to.getTime() - FOUR_DAYS);
  // The incident's first days by default, never more than the allowed span.
  return { incidents, window: { from, to: new Date(Math.min(to.getTime(), from.getTime() + FOUR_DAYS)) } };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const { incidents, window } = await defaults();
  const values = readBuilderValues(url.searchParams, window);
  const stores = await listStores();
  let preview = null;
  let errors: string[] = [];
  if (url.searchParams.has("from")) {
    const parsed = definitionFromValues(values);
    if (parsed.ok) {
      try {
        preview = await previewCohort(ctx, parsed.definition);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors = [error.message];
      }
    } else {
      errors = parsed.errors;
    }
  }
  return json(
    { values, errors, preview, stores, incidents: incidents.map(({ id, code, title }) => ({ id, code, title })) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const form = await readForm(request, ctx.staff.language);
  const params = new URLSearchParams();
  for (const [key, value] of form) if (typeof value === "string") params.append(key, value);
  const { window } = await defaults();
  const values = readBuilderValues(params, window);
  const parsed = definitionFromValues(values);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const incident = uuidField()
    .optional()
    .safeParse(String(form.get("incidentId") ?? "") || undefined);
  if (!incident.success) return json({ errors: [refusedField(ctx.staff.language, "incidentId")] }, { status: 400 });
  const incidentId = incident.data ?? null;
  try {
    const saved = await saveCohort(ctx, {
      name: String(form.get("name") ?? ""),
      incidentId,
      definition: parsed.definition,
    });
    return redirectWithToast(`/cohorts/${saved.id}`, {
      kind: "success",
      message: `Cohort saved with ${formatCount(saved.memberCount)} accounts.`,
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ errors: [error.message] }, { status: error.status });
  }
}

function Checkbox({ name, checked, label, points }: { name: string; checked: boolean; label: string; points: number }) {
  return (
    <label className="flex items-center gap-2 text-sm font-medium">
      <input type="checkbox" name={name} defaultChecked={checked} className="h-4 w-4" data-testid={`signal-${name}`} />
      {label} <span className="text-xs font-normal text-slate-500">({points} points)</span>
    </label>
  );
}

function NumberField({
  name,
  value,
  label,
  width = "w-24",
}: {
  name: string;
  value: string;
  label: string;
  width?: string;
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      {label}
      <input name={name} defaultValue={value} inputMode="numeric" className={`input ${width}`} />
    </label>
  );
}

function SignalFields({ values }: { values: BuilderValues }) {
  return (
    <fieldset className="space-y-3">
      <legend className="font-semibold">Signals</legend>
      <Checkbox
        name="newDevice"
        checked={values.newDevice}
        label={SIGNAL_LABELS.newDevice}
        points={SIGNAL_POINTS.newDevice}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="foreignSignIn"
          checked={values.foreignSignIn}
          label={SIGNAL_LABELS.foreignSignIn}
          points={SIGNAL_POINTS.foreignSignIn}
        />
        <NumberField name="homeCountry" value={values.homeCountry} label="home country" width="w-16" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="sharedDevice"
          checked={values.sharedDevice}
          label={SIGNAL_LABELS.sharedDevice}
          points={SIGNAL_POINTS.sharedDevice}
        />
        <NumberField name="sharedDeviceMin" value={values.sharedDeviceMin} label="by at least" />
        <span className="text-sm text-slate-600">accounts</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="sharedIp"
          checked={values.sharedIp}
          label={SIGNAL_LABELS.sharedIp}
          points={SIGNAL_POINTS.sharedIp}
        />
        <NumberField name="sharedIpMin" value={values.sharedIpMin} label="by at least" />
        <span className="text-sm text-slate-600">accounts</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="topUpThenResellable"
          checked={values.topUpThenResellable}
          label={SIGNAL_LABELS.topUpThenResellable}
          points={SIGNAL_POINTS.topUpThenResellable}
        />
        <NumberField name="topUpHours" value={values.topUpHours} label="within (hours)" />
        <NumberField name="topUpMinYen" value={values.topUpMinYen} label="at least ¥" width="w-28" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="contactChangeBeforeTopUp"
          checked={values.contactChangeBeforeTopUp}
          label={SIGNAL_LABELS.contactChangeBeforeTopUp}
          points={SIGNAL_POINTS.contactChangeBeforeTopUp}
        />
        <NumberField name="contactHours" value={values.contactHours} label="within (hours)" />
      </div>
    </fieldset>
  );
}

export default function CohortBuilder() {
  const { values, errors, preview, stores, incidents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const shownErrors = actionData?.errors ?? errors;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/cohorts">
            ← Saved cohorts
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Build a cohort</h1>
        <p className="text-sm text-slate-600">
          Every account found carries a risk score (0–100) over all six signals, with the evidence for each. The
          selected signals decide who is in; the score ranks them. Times are JST; the window spans at most{" "}
          {MAX_WINDOW_DAYS} days.
        </p>
      </div>

      <Form method="get" className="card space-y-4" data-testid="cohort-builder">
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="label">From (JST)</span>
            <JstDateTimeInput name="from" defaultValue={values.from} />
          </label>
          <label className="text-sm">
            <span className="label">To (JST)</span>
            <JstDateTimeInput name="to" defaultValue={values.to} />
          </label>
          <label className="text-sm">
            <span className="label">Accounts must show</span>
            <select name="match" defaultValue={values.match} className="input mt-1">
              <option value="all">every selected signal</option>
              <option value="any">any selected signal</option>
            </select>
          </label>
          <label className="text-sm">
            <span className="label">Minimum risk score</span>
            <input name="minScore" defaultValue={values.minScore} inputMode="numeric" className="input mt-1 w-24" />
          </label>
        </div>
        <SignalFields values={values} />
        <label className="block text-sm">
          <span className="label">Bought at (optional; hold Ctrl or ⌘ for several)</span>
          <select name="storeId" multiple defaultValue={values.storeIds} className="input mt-1 h-28">
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name} ({s.area})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Searching…" : "Preview"}
        </button>
      </Form>

      {shownErrors.length > 0 ? (
        <div role="alert" className="card space-y-1 text-sm text-red-800" data-testid="builder-errors">
          {shownErrors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}

      {preview ? (
        <section className="card space-y-4" data-testid="cohort-preview">
          <p className="text-sm" data-testid="preview-total">
            {formatCount(preview.total)} account{preview.total === 1 ? "" : "s"} match
            {preview.total > PREVIEW_LIMIT ? ` (the ${PREVIEW_LIMIT} highest scores shown)` : ""}.
          </p>
          {preview.total > 0 ? (
            <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="save-cohort">
              {[...new URLSearchParams(builderQuery(values))].map(([key, value], k) => (
                <input key={`${key}-${k}`} type="hidden" name={key} value={value} />
              ))}
              <label className="text-sm">
                <span className="label">Cohort name</span>
                <input
                  name="name"
                  required
                  maxLength={120}
                  className="input mt-1 w-72"
                  placeholder="e.g. Ring A devices, 2 July"
                />
              </label>
              <label className="text-sm">
                <span className="label">Incident</span>
                <select name="incidentId" className="input mt-1">
                  {incidents.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.code}
                    </option>
                  ))}
                  <option value="">No incident</option>
                </select>
              </label>
              <button type="submit" className="btn-primary" disabled={busy}>
                Save as cohort
              </button>
              <span className="text-xs text-slate-500">
                Saving runs the search again and keeps exactly what matches at that moment.
              </span>
            </Form>
          ) : null}
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-3">Score</th>
                <th className="py-1 pr-3">Account</th>
                <th className="py-1">Reasons</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.matches.map((m) => (
                <tr key={m.customerId} data-testid="cohort-match" className="align-top">
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
        </section>
      ) : null}
    </div>
  );
}
