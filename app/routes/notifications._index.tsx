// Compose and send a notice to an incident's victims: pick the notice, the language and the recipients (every victim
// of the incident, or a selection), preview it with a real account's data — a notice whose variables are missing is
// refused here — and send. One recipient needs notify:send; more need bulk:run and a fresh step-up. The send queues
// messages in the outbox (one audited transaction) and lands on the incident's progress page.
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useMessages } from "~/i18n/use-messages";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import { formatCount } from "~/lib/format";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { isDomainError } from "~/lib/domain-error";
import { redirectWithToast } from "~/lib/toast.server";
import { CampaignProgress } from "~/notify/components/campaign-progress";
import { readComposeQuery, resolveRecipients } from "~/notify/compose.server";
import { loadComposeView } from "~/notify/compose-view.server";
import { type NoticeStatus } from "~/notify/notice-status";
import { enqueueNotices, type NoticePlan } from "~/notify/notices.server";
import { devMailAvailable } from "~/notify/email-html-response.server";
import { SendNoticeSchema } from "~/notify/send-schema";
import { env } from "~/env.server";
import { parseFormData, readForm } from "~/lib/form.server";

export const permission: Permission = "notify:send";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notify:compose.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const query = readComposeQuery(new URL(request.url).searchParams);
  const viewer = {
    canBulk: roleHasPermission(ctx.staff.role, "bulk:run"),
    steppedUp: hasRecentStepUp(ctx),
    // Without an SMTP server (development), mail goes to the in-process sink: say where to read it.
    devMail: devMailAvailable() && !env().SMTP_HOST && roleHasPermission(ctx.staff.role, "mail:view-sink"),
  };
  return loadComposeView(query, viewer, ctx.staff.language);
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const formData = await readForm(request, ctx.staff.language);
  const submission = parseFormData(formData, SendNoticeSchema, ctx.staff.language);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { incidentId, template, language, target, customers, reason } = submission.value;

  const recipients = await resolveRecipients(target, customers ?? "");
  if (!recipients.ok) {
    const message = translateMessage(ctx.staff.language, recipients.message, recipients.params);
    return data({ result: submission.reply({ fieldErrors: { customers: [message] } }) }, { status: 400 });
  }
  const { customerIds } = recipients;
  const bulk = customerIds === undefined || customerIds.length > 1;
  // A bulk send needs a fresh authenticator code; without bulk:run the domain refuses (and audits the attempt).
  if (bulk && roleHasPermission(ctx.staff.role, "bulk:run")) await requireStepUp(request, ctx);
  try {
    const result = await enqueueNotices(ctx, { incidentId, template, language, customerIds, reason });
    const staffLanguage = ctx.staff.language;
    const t = translatorFor(staffLanguage, "notify");
    const parts = [t("compose.toastQueued", { n: formatCount(result.queued, staffLanguage) })];
    if (result.duplicates)
      parts.push(t("compose.toastDuplicates", { n: formatCount(result.duplicates, staffLanguage) }));
    if (result.skipped) parts.push(t("compose.toastSkipped", { n: formatCount(result.skipped, staffLanguage) }));
    return redirectWithToast(`/notifications/incidents/${incidentId}?template=${template}`, {
      kind: "success",
      message: t("compose.toast", { label: t(`template.${template}`), parts: parts.join(t("compose.toastSeparator")) }),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data(
      { result: submission.reply({ formErrors: [translateDomainError(ctx.staff.language, error)] }) },
      { status: error.status },
    );
  }
}

function composeHref(query: Record<string, string>): string {
  return `/notifications?${new URLSearchParams(query).toString()}`;
}

function PlanSummary({ plan }: { plan: NoticePlan }) {
  const handled = Object.entries(plan.alreadyHandled) as [NoticeStatus, number][];
  const skipped = Object.entries(plan.skipped) as [string, number][];
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-1 text-sm" data-testid="send-plan">
      <p>
        <strong data-testid="plan-will-queue">{formatCount(plan.willQueue, language)}</strong>
        {t("compose.planWillQueue", { total: formatCount(plan.recipients, language) })}
      </p>
      {handled.length > 0 ? (
        <p className="text-slate-600">
          {t("compose.alreadyHandled", {
            list: handled
              .map(([status, n]) =>
                t("compose.handledItem", {
                  n: formatCount(n, language),
                  status: t(`noticeStatus.${status}`).toLowerCase(),
                }),
              )
              .join(t("compose.toastSeparator")),
          })}
        </p>
      ) : null}
      {skipped.length > 0 ? (
        <ul className="list-disc pl-5 text-amber-900">
          {skipped.map(([reason, n]) => (
            <li key={reason}>
              {t("compose.willGetNoMail", {
                n: formatCount(n, language),
                reason: i18n.exists(`notify:skipReason.${reason}`) ? t(`skipReason.${reason}` as never) : reason,
              })}
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
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const [form, fields] = useForm({
    lastResult: lastResult?.result,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SendNoticeSchema }),
  });
  // Keys from the schemas (the browser checks first) are shown in the page's language.
  const formErrors = useMessages(form.errors);
  const customerErrors = useMessages(fields.customers.errors);

  if (!incident) {
    return (
      <div className="card">
        <h1 className="text-xl font-semibold">{t("compose.title")}</h1>
        <p className="mt-2 text-slate-600">{t("compose.noIncident")}</p>
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
      ? t("compose.sendAll", { n: formatCount(recipients, language) })
      : t("compose.sendSelected", { n: formatCount(recipients, language) })
    : t("compose.sendOne");

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("compose.heading")}</h1>
        {viewer.devMail ? (
          <p className="text-sm text-slate-600">
            {t("compose.devMailBefore")}{" "}
            <Link className="underline" to="/dev/mail">
              {t("compose.devMailLink")}
            </Link>
            .
          </p>
        ) : null}
        <p className="text-sm text-slate-600">{t("compose.intro")}</p>
      </div>

      <Form method="get" className="card grid gap-4 md:grid-cols-2" data-testid="compose-form">
        <label className="space-y-1">
          <span className="label">{t("compose.incident")}</span>
          <select name="incident" defaultValue={incident.id} className="input">
            {incidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code} — {i.title} ({String(i18n.t(`incidents:incidentStatus.${i.status}` as never)).toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="label">{t("compose.notice")}</span>
          <select name="template" defaultValue={query.template} className="input" data-testid="template-select">
            {templates.map((template) => (
              <option key={template.key} value={template.key}>
                {t(`template.${template.key}`)}
              </option>
            ))}
          </select>
          <span className="block text-xs text-slate-500">
            {templates.some((template) => template.key === query.template)
              ? t(`templateHelp.${query.template as (typeof templates)[number]["key"]}`)
              : null}
          </span>
        </label>
        <label className="space-y-1">
          <span className="label">{t("compose.language")}</span>
          <select name="language" defaultValue={query.language} className="input">
            <option value="auto">{t("compose.languageAuto")}</option>
            <option value="ja">{t("compose.languageJa")}</option>
            <option value="en">{t("compose.languageEn")}</option>
          </select>
        </label>
        <fieldset className="space-y-1">
          <legend className="label">{t("compose.recipients")}</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="target" value="all" defaultChecked={query.target === "all"} />{" "}
            {t("compose.targetAll")}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="target" value="selected" defaultChecked={query.target === "selected"} />{" "}
            {t("compose.targetSelected")}
          </label>
          <textarea
            name="customers"
            defaultValue={query.customers}
            rows={3}
            className="input font-mono"
            placeholder="W-00012345"
            aria-label={t("compose.selectedCustomers")}
          />
          {selection && selection.unknownCount > 0 ? (
            <p className="field-error">
              {t("compose.unknown", { list: selection.unknown.join(", ") })}
              {selection.unknownCount > selection.unknown.length
                ? t("compose.unknownMore", {
                    n: formatCount(selection.unknownCount - selection.unknown.length, language),
                  })
                : ""}
            </p>
          ) : null}
          {selection?.tooMany ? <p className="field-error">{t("compose.tooMany")}</p> : null}
        </fieldset>
        <label className="space-y-1">
          <span className="label">{t("compose.previewWith")}</span>
          <input
            name="preview"
            defaultValue={query.preview}
            className="input font-mono"
            placeholder={t("compose.previewPlaceholder")}
          />
        </label>
        <div className="flex items-end">
          <button type="submit" className="btn-secondary" data-testid="preview-button">
            {t("compose.preview")}
          </button>
        </div>
      </Form>

      <section className="card space-y-3" data-testid="preview">
        <h2 className="font-semibold">{t("compose.preview")}</h2>
        {preview === null ? (
          <p className="text-sm text-slate-600">{t("compose.choosePreview")}</p>
        ) : "error" in preview && preview.error ? (
          <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800" data-testid="preview-error">
            {preview.error}
          </p>
        ) : "rendered" in preview ? (
          <div className="space-y-3">
            <p className="text-sm text-slate-600">
              {t("compose.previewFor", {
                name: preview.customer.name,
                displayId: preview.customer.displayId,
                language: preview.language === "ja" ? t("compose.japanese") : t("compose.english"),
                email: preview.customer.email,
              })}
            </p>
            {preview.recipientProblem ? (
              <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="preview-recipient-problem">
                {/* The reason by its name, as the notices list names a skipped notice's; the worker's English detail
                    is for the logs (ADR 113). */}
                {t("compose.recipientProblem", { reason: t(`skipReason.${preview.recipientProblem.reason}`) })}
              </p>
            ) : null}
            {preview.existingStatus ? (
              <p className="text-sm text-slate-600">
                {t("compose.alreadyHas", { status: t(`noticeStatus.${preview.existingStatus}`).toLowerCase() })}
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
                title={t("compose.htmlVersion")}
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
        <h2 className="font-semibold">{t("compose.send")}</h2>
        {plan && "planError" in plan && plan.planError ? (
          <p role="alert" className="text-sm text-red-800">
            {plan.planError}
          </p>
        ) : plan && "recipients" in plan ? (
          <PlanSummary plan={plan as NoticePlan} />
        ) : null}
        {bulk && !viewer.canBulk ? <p className="text-sm text-slate-600">{t("compose.needsLead")}</p> : null}
        {needsStepUp ? (
          <p className="text-sm text-slate-600">
            {t("compose.needsStepUp")}{" "}
            <Link
              className="underline"
              to={`/step-up?redirectTo=${encodeURIComponent(selfHref)}`}
              data-testid="step-up-link"
            >
              {t("compose.confirmItIsYou")}
            </Link>
            .
          </p>
        ) : null}
        {singleRefused ? <p className="text-sm text-red-800">{t("compose.previewRefused")}</p> : null}
        <Form method="post" action={selfHref} {...getFormProps(form)} className="space-y-3">
          {formErrors ? (
            <p
              role="alert"
              id={form.errorId}
              className="rounded bg-red-50 p-3 text-sm text-red-800"
              data-testid="send-error"
            >
              {formErrors.join(" ")}
            </p>
          ) : null}
          {customerErrors ? <p className="field-error">{customerErrors.join(" ")}</p> : null}
          <input type="hidden" name="incidentId" value={incident.id} />
          <input type="hidden" name="template" value={query.template} />
          <input type="hidden" name="language" value={query.language} />
          <input type="hidden" name="target" value={query.target} />
          <input type="hidden" name="customers" value={query.customers} />
          <label className="block space-y-1">
            <span className="label">{t("compose.reason")}</span>
            <input name="reason" className="input" maxLength={500} />
          </label>
          <button
            type="submit"
            className={bulk ? "btn-danger" : "btn-primary"}
            disabled={sendDisabled}
            data-testid="send-button"
          >
            {navigation.state === "submitting" ? t("compose.queuing") : sendLabel}
          </button>
        </Form>
      </section>

      {campaigns.length > 0 ? (
        <section className="card space-y-4">
          <div className="flex items-baseline justify-between">
            <h2 className="font-semibold">{t("compose.sentFor", { code: incident.code })}</h2>
            <Link className="text-sm underline" to={`/notifications/incidents/${incident.id}`}>
              {t("compose.perRecipient")}
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
