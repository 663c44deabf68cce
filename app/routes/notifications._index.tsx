// Compose and send a notice to an incident's victims: pick the notice, the language and the recipients (every victim
// of the incident, or a selection), preview it with a real account's data — a notice whose variables are missing is
// refused here — and send. One recipient needs notify:send; more need bulk:run and a fresh step-up. The send queues
// messages in the outbox (one audited transaction) and lands on the incident's progress page.
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { isDomainError } from "~/lib/domain-error";
import { redirectWithToast } from "~/lib/toast.server";
import { CampaignProgress } from "~/notify/components/campaign-progress";
import {
  chooseIncident,
  listIncidents,
  pickPreviewCustomer,
  readComposeQuery,
  resolveCustomerReferences,
  resolveRecipients,
} from "~/notify/compose.server";
import { loadIncidentNoticeProgress } from "~/notify/notice-queries.server";
import { COMPOSABLE_TEMPLATES } from "~/notify/notice-schemas";
import { SKIP_REASON_LABEL, STATUS_LABEL, type NoticeStatus } from "~/notify/notice-status";
import { planNotices, previewNotice, type NoticePlan, type NoticePreview } from "~/notify/notices.server";
import { enqueueNotices } from "~/notify/notices.server";
import { devMailAvailable } from "~/notify/email-html-response.server";
import { SendNoticeSchema } from "~/notify/send-schema";
import { env } from "~/env.server";
import { TEMPLATES } from "~/notify/templates";
import { parseFormData, readForm } from "~/lib/form.server";

export const permission: Permission = "notify:send";

export const meta: MetaFunction = () => [{ title: "Notifications · Firebreak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const query = readComposeQuery(url.searchParams);
  const incidents = await listIncidents();
  const incident = await chooseIncident(incidents, query);
  const viewer = {
    canBulk: roleHasPermission(ctx.staff.role, "bulk:run"),
    steppedUp: hasRecentStepUp(ctx),
    // Without an SMTP server (development), mail goes to the in-process sink: say where to read it.
    devMail: devMailAvailable() && !env().SMTP_HOST && roleHasPermission(ctx.staff.role, "mail:view-sink"),
  };
  const templates = COMPOSABLE_TEMPLATES.map((key) => ({
    key,
    label: TEMPLATES[key].label,
    description: TEMPLATES[key].description,
  }));
  if (!incident) {
    return json({
      query,
      incidents,
      incident: null,
      templates,
      viewer,
      selection: null,
      plan: null,
      preview: null,
      campaigns: [],
    });
  }

  const resolved = query.target === "selected" ? await resolveCustomerReferences(query.customers) : null;
  const selection = resolved
    ? {
        count: resolved.ids.length,
        unknown: resolved.unknown.slice(0, 20),
        unknownCount: resolved.unknown.length,
        tooMany: resolved.tooMany,
      }
    : null;
  const customerIds = resolved && resolved.ids.length > 0 ? resolved.ids : undefined;
  const selectionUsable = !resolved || (customerIds !== undefined && resolved.unknown.length === 0);

  let plan: NoticePlan | null = null;
  let planError: string | null = null;
  let preview: NoticePreview | null = null;
  let previewError: string | null = null;
  if (selectionUsable) {
    const target = { incidentId: incident.id, template: query.template, language: query.language, customerIds };
    try {
      plan = await planNotices(target);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      planError = error.message;
    }
    const previewId = await pickPreviewCustomer(incident.id, query.preview, customerIds ?? []);
    if (previewId) {
      try {
        preview = await previewNotice({ ...target, customerId: previewId });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        previewError = error.message;
      }
    }
  }
  const campaigns = await loadIncidentNoticeProgress(incident.id);
  return json({
    query,
    incidents,
    incident,
    templates,
    viewer,
    selection,
    plan: plan ? { ...plan, planError: null } : planError ? { planError } : null,
    preview: preview ? { ...preview, error: null } : previewError ? { error: previewError } : null,
    campaigns,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const formData = await readForm(request, ctx.staff.language);
  const submission = parseFormData(formData, SendNoticeSchema, ctx.staff.language);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { incidentId, template, language, target, customers, reason } = submission.value;

  const recipients = await resolveRecipients(target, customers ?? "");
  if (!recipients.ok) {
    return json({ result: submission.reply({ fieldErrors: { customers: [recipients.message] } }) }, { status: 400 });
  }
  const { customerIds } = recipients;
  const bulk = customerIds === undefined || customerIds.length > 1;
  // A bulk send needs a fresh authenticator code; without bulk:run the domain refuses (and audits the attempt).
  if (bulk && roleHasPermission(ctx.staff.role, "bulk:run")) requireStepUp(request, ctx);
  try {
    const result = await enqueueNotices(ctx, { incidentId, template, language, customerIds, reason });
    const parts = [`${result.queued.toLocaleString("en-US")} queued`];
    if (result.duplicates) parts.push(`${result.duplicates.toLocaleString("en-US")} already handled`);
    if (result.skipped) parts.push(`${result.skipped.toLocaleString("en-US")} not sent (see reasons)`);
    return redirectWithToast(`/notifications/incidents/${incidentId}?template=${template}`, {
      kind: "success",
      message: `${TEMPLATES[template].label}: ${parts.join(", ")}.`,
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ result: submission.reply({ formErrors: [error.message] }) }, { status: error.status });
  }
}

function composeHref(query: Record<string, string>): string {
  return `/notifications?${new URLSearchParams(query).toString()}`;
}

function PlanSummary({ plan }: { plan: NoticePlan }) {
  const handled = Object.entries(plan.alreadyHandled) as [NoticeStatus, number][];
  const skipped = Object.entries(plan.skipped) as [string, number][];
  return (
    <div className="space-y-1 text-sm" data-testid="send-plan">
      <p>
        <strong data-testid="plan-will-queue">{plan.willQueue.toLocaleString("en-US")}</strong> of{" "}
        {plan.recipients.toLocaleString("en-US")} recipients will be sent this notice.
      </p>
      {handled.length > 0 ? (
        <p className="text-slate-600">
          Already handled (never sent twice):{" "}
          {handled
            .map(([status, n]) => `${n.toLocaleString("en-US")} ${STATUS_LABEL[status].toLowerCase()}`)
            .join(", ")}
          .
        </p>
      ) : null}
      {skipped.length > 0 ? (
        <ul className="list-disc pl-5 text-amber-900">
          {skipped.map(([reason, n]) => (
            <li key={reason}>
              {n.toLocaleString("en-US")} will get no mail: {SKIP_REASON_LABEL[reason] ?? reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export default function Notifications() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { query, incidents, incident, templates, viewer, selection, plan, preview, campaigns } = data;
  const [form, fields] = useForm({
    lastResult: lastResult?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SendNoticeSchema }),
  });

  if (!incident) {
    return (
      <div className="card">
        <h1 className="text-xl font-semibold">Notifications</h1>
        <p className="mt-2 text-slate-600">There is no incident on record, so there is nobody to notify yet.</p>
      </div>
    );
  }

  const queryStrings = Object.fromEntries(
    Object.entries({ ...query, incident: incident.id }).map(([k, v]) => [k, String(v ?? "")]),
  );
  const selfHref = composeHref(queryStrings);
  const recipients = plan && "recipients" in plan ? plan.recipients : 0;
  const willQueue = plan && "willQueue" in plan ? plan.willQueue : 0;
  const bulk = query.target === "all" || (selection?.count ?? 0) > 1;
  const previewRefused = preview !== null && "error" in preview && preview.error !== null;
  const singleRefused = !bulk && previewRefused;
  const needsStepUp = bulk && viewer.canBulk && !viewer.steppedUp;
  const sendDisabled = navigation.state !== "idle" || willQueue === 0 || singleRefused || (bulk && !viewer.canBulk);
  const sendLabel = bulk
    ? query.target === "all"
      ? `Send to all ${recipients.toLocaleString("en-US")} victims`
      : `Send to ${recipients.toLocaleString("en-US")} selected customers`
    : "Send to this customer";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Notify victims</h1>
        {viewer.devMail ? (
          <p className="text-sm text-slate-600">
            Development: no SMTP server is configured, so mail goes to the{" "}
            <Link className="underline" to="/dev/mail">
              development sink
            </Link>
            .
          </p>
        ) : null}
        <p className="text-sm text-slate-600">
          Each victim gets each notice at most once, in their language (Japanese unless they chose English). Customers
          without a verified email — or whose address was changed during the incident — get no mail, with the reason.
        </p>
      </div>

      <Form method="get" className="card grid gap-4 md:grid-cols-2" data-testid="compose-form">
        <label className="space-y-1">
          <span className="label">Incident</span>
          <select name="incident" defaultValue={incident.id} className="input">
            {incidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code} — {i.title} ({i.status.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="label">Notice</span>
          <select name="template" defaultValue={query.template} className="input" data-testid="template-select">
            {templates.map((t) => (
              <option key={t.key} value={t.key}>
                {t.label}
              </option>
            ))}
          </select>
          <span className="block text-xs text-slate-500">
            {templates.find((t) => t.key === query.template)?.description}
          </span>
        </label>
        <label className="space-y-1">
          <span className="label">Language</span>
          <select name="language" defaultValue={query.language} className="input">
            <option value="auto">Each customer&apos;s own (Japanese by default)</option>
            <option value="ja">Japanese for everyone</option>
            <option value="en">English for everyone</option>
          </select>
        </label>
        <fieldset className="space-y-1">
          <legend className="label">Recipients</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="target" value="all" defaultChecked={query.target === "all"} /> Every victim of the
            incident
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="target" value="selected" defaultChecked={query.target === "selected"} /> Only
            these customers (display IDs, one per line)
          </label>
          <textarea
            name="customers"
            defaultValue={query.customers}
            rows={3}
            className="input font-mono"
            placeholder="W-00012345"
            aria-label="Selected customers"
          />
          {selection && selection.unknownCount > 0 ? (
            <p className="field-error">
              Unknown: {selection.unknown.join(", ")}
              {selection.unknownCount > selection.unknown.length
                ? ` and ${selection.unknownCount - selection.unknown.length} more`
                : ""}
            </p>
          ) : null}
          {selection?.tooMany ? (
            <p className="field-error">At most 500 customers can be selected by hand: send to every victim instead.</p>
          ) : null}
        </fieldset>
        <label className="space-y-1">
          <span className="label">Preview with the account of</span>
          <input
            name="preview"
            defaultValue={query.preview}
            className="input font-mono"
            placeholder="first recipient"
          />
        </label>
        <div className="flex items-end">
          <button type="submit" className="btn-secondary" data-testid="preview-button">
            Preview
          </button>
        </div>
      </Form>

      <section className="card space-y-3" data-testid="preview">
        <h2 className="font-semibold">Preview</h2>
        {preview === null ? (
          <p className="text-sm text-slate-600">Choose recipients to preview the notice.</p>
        ) : "error" in preview && preview.error ? (
          <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800" data-testid="preview-error">
            {preview.error}
          </p>
        ) : "rendered" in preview ? (
          <div className="space-y-3">
            <p className="text-sm text-slate-600">
              For {preview.customer.name} ({preview.customer.displayId}), in{" "}
              {preview.language === "ja" ? "Japanese" : "English"}, to {preview.customer.email}.
            </p>
            {preview.recipientProblem ? (
              <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="preview-recipient-problem">
                This customer will get no mail: {preview.recipientProblem.detail}.
              </p>
            ) : null}
            {preview.existingStatus ? (
              <p className="text-sm text-slate-600">
                This customer already has this notice ({STATUS_LABEL[preview.existingStatus].toLowerCase()}): it will
                not be sent again.
              </p>
            ) : null}
            <p className="font-medium" data-testid="preview-subject">
              {preview.rendered.subject}
            </p>
            <div className="grid gap-4 lg:grid-cols-2">
              <pre
                className="max-h-[32rem] overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-sm"
                data-testid="preview-text"
              >
                {preview.rendered.text}
              </pre>
              <iframe
                title="HTML version"
                sandbox=""
                className="h-[32rem] w-full rounded ring-1 ring-slate-200"
                src={`/notifications/preview.html?${new URLSearchParams({
                  incident: incident.id,
                  template: query.template,
                  language: query.language,
                  customer: preview.customer.id,
                }).toString()}`}
              />
            </div>
          </div>
        ) : null}
      </section>

      <section className="card space-y-3">
        <h2 className="font-semibold">Send</h2>
        {plan && "planError" in plan && plan.planError ? (
          <p role="alert" className="text-sm text-red-800">
            {plan.planError}
          </p>
        ) : plan && "recipients" in plan ? (
          <PlanSummary plan={plan as NoticePlan} />
        ) : null}
        {bulk && !viewer.canBulk ? (
          <p className="text-sm text-slate-600">Sending to more than one customer needs a security lead (bulk:run).</p>
        ) : null}
        {needsStepUp ? (
          <p className="text-sm text-slate-600">
            A bulk send needs a fresh code from your authenticator app.{" "}
            <Link
              className="underline"
              to={`/step-up?redirectTo=${encodeURIComponent(selfHref)}`}
              data-testid="step-up-link"
            >
              Confirm it is you
            </Link>
            .
          </p>
        ) : null}
        {singleRefused ? (
          <p className="text-sm text-red-800">The preview was refused, so this notice cannot be sent.</p>
        ) : null}
        <Form method="post" action={selfHref} {...getFormProps(form)} className="space-y-3">
          {form.errors ? (
            <p
              role="alert"
              id={form.errorId}
              className="rounded bg-red-50 p-3 text-sm text-red-800"
              data-testid="send-error"
            >
              {form.errors.join(" ")}
            </p>
          ) : null}
          {fields.customers.errors ? <p className="field-error">{fields.customers.errors.join(" ")}</p> : null}
          <input type="hidden" name="incidentId" value={incident.id} />
          <input type="hidden" name="template" value={query.template} />
          <input type="hidden" name="language" value={query.language} />
          <input type="hidden" name="target" value={query.target} />
          <input type="hidden" name="customers" value={query.customers} />
          <label className="block space-y-1">
            <span className="label">Reason (for the audit trail, optional)</span>
            <input name="reason" className="input" maxLength={500} />
          </label>
          <button
            type="submit"
            className={bulk ? "btn-danger" : "btn-primary"}
            disabled={sendDisabled}
            data-testid="send-button"
          >
            {navigation.state === "submitting" ? "Queuing…" : sendLabel}
          </button>
        </Form>
      </section>

      {campaigns.length > 0 ? (
        <section className="card space-y-4">
          <div className="flex items-baseline justify-between">
            <h2 className="font-semibold">Sent for {incident.code}</h2>
            <Link className="text-sm underline" to={`/notifications/incidents/${incident.id}`}>
              Per-recipient status
            </Link>
          </div>
          {campaigns.map((c) => (
            <CampaignProgress
              key={`${c.template}:${c.discriminator ?? ""}`}
              campaign={c}
              href={`/notifications/incidents/${incident.id}?template=${c.template}`}
            />
          ))}
        </section>
      ) : null}
    </div>
  );
}
