// The cohort builder: combine attack signals over a time window, preview the matching accounts ranked by risk score
// with the reasons behind each score, and save the result to an incident as a cohort (an immutable snapshot the bulk
// reversal, reset and notice actions take as input).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { requirePermission } from "~/auth/guard.server";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import type { Permission } from "~/auth/permissions";
import {
  builderQuery,
  definitionFromValues,
  SIGNAL_FIELDS,
  readBuilderValues,
  type BuilderValues,
} from "~/incidents/cohorts/builder-params";
import { MAX_WINDOW_DAYS, SIGNAL_POINTS, type SignalKey } from "~/incidents/cohorts/definition";
import { PREVIEW_LIMIT } from "~/incidents/cohorts/definition";
import { pageTitle, readMessageKey } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError, translateMessage, zodErrorMapFor } from "~/i18n/translate.server";
import type { Language } from "~/i18n/config";
import { listIncidentsForCohorts, listStores, previewCohort } from "~/incidents/cohorts/preview.server";
import { saveCohort } from "~/incidents/cohorts/save-cohort.server";
import { now } from "~/lib/clock.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm, refusedField } from "~/lib/form.server";
import { uuidField } from "~/lib/form-text";
import { ScoredAccountsTable } from "~/incidents/cohorts/ui-scored-accounts";

export const permission: Permission = "cohorts:build";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "cohorts:builder.pageTitle") }];

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
    const parsed = definitionFromValues(values, zodErrorMapFor(ctx.staff.language));
    if (parsed.ok) {
      try {
        preview = await previewCohort(ctx, parsed.definition);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors = [translateDomainError(ctx.staff.language, error)];
      }
    } else {
      errors = builderErrors(ctx.staff.language, parsed.errors);
    }
  }
  return {
    values,
    errors,
    preview,
    stores,
    incidents: incidents.map(({ id, code, title }) => ({ id, code, title })),
    // One key per rendering of the save form: a double click or a resent post saves one cohort (ADR 095).
    submissionKey: newSubmissionKey(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const form = await readForm(request, ctx.staff.language);
  const params = new URLSearchParams();
  for (const [key, value] of form) if (typeof value === "string") params.append(key, value);
  const { window } = await defaults();
  const values = readBuilderValues(params, window);
  const parsed = definitionFromValues(values, zodErrorMapFor(ctx.staff.language));
  if (!parsed.ok) return data({ errors: builderErrors(ctx.staff.language, parsed.errors) }, { status: 400 });
  const incident = uuidField()
    .optional()
    .safeParse(String(form.get("incidentId") ?? "") || undefined);
  if (!incident.success) return data({ errors: [refusedField(ctx.staff.language, "incidentId")] }, { status: 400 });
  const incidentId = incident.data ?? null;
  const key = uuidField()
    .optional()
    .safeParse(String(form.get("submissionKey") ?? "") || undefined);
  if (!key.success) return data({ errors: [refusedField(ctx.staff.language, "submissionKey")] }, { status: 400 });
  try {
    const saved = await saveCohort(ctx, {
      name: String(form.get("name") ?? ""),
      incidentId,
      definition: parsed.definition,
      submissionKey: key.data,
    });
    return redirectWithToast(`/cohorts/${saved.id}`, {
      kind: "success",
      message: translatorFor(ctx.staff.language, "cohorts")("builder.saved", {
        members: formatCount(saved.memberCount, ctx.staff.language),
      }),
    });
  } catch (error) {
    // The same rendered form sent again (a double click, a resent post): the cohort the first post saved is shown.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast(`/cohorts/${error.outcome}`, {
        kind: "success",
        message: translatorFor(ctx.staff.language, "cohorts")("builder.savedOnce"),
      });
    }
    if (!isDomainError(error)) throw error;
    return data({ errors: [translateDomainError(ctx.staff.language, error)] }, { status: error.status });
  }
}

function Checkbox({ name, checked, points }: { name: SignalKey; checked: boolean; points: number }) {
  const { t } = useTranslation("cohorts");
  return (
    <label className="flex items-center gap-2 text-sm font-medium">
      <input type="checkbox" name={name} defaultChecked={checked} className="h-4 w-4" data-testid={`signal-${name}`} />
      {t(`builder.signal.${name}`)}{" "}
      <span className="text-xs font-normal text-slate-500">{t("builder.points", { points })}</span>
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
  const { t } = useTranslation("cohorts");
  return (
    <fieldset className="space-y-3">
      <legend className="font-semibold">{t("builder.signals")}</legend>
      <Checkbox name="newDevice" checked={values.newDevice} points={SIGNAL_POINTS.newDevice} />
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox name="foreignSignIn" checked={values.foreignSignIn} points={SIGNAL_POINTS.foreignSignIn} />
        <NumberField name="homeCountry" value={values.homeCountry} label={t("builder.homeCountry")} width="w-16" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox name="sharedDevice" checked={values.sharedDevice} points={SIGNAL_POINTS.sharedDevice} />
        <NumberField name="sharedDeviceMin" value={values.sharedDeviceMin} label={t("builder.byAtLeast")} />
        <span className="text-sm text-slate-600">{t("builder.accounts")}</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox name="sharedIp" checked={values.sharedIp} points={SIGNAL_POINTS.sharedIp} />
        <NumberField name="sharedIpMin" value={values.sharedIpMin} label={t("builder.byAtLeast")} />
        <span className="text-sm text-slate-600">{t("builder.accounts")}</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="topUpThenResellable"
          checked={values.topUpThenResellable}
          points={SIGNAL_POINTS.topUpThenResellable}
        />
        <NumberField name="topUpHours" value={values.topUpHours} label={t("builder.withinHours")} />
        <NumberField name="topUpMinYen" value={values.topUpMinYen} label={t("builder.atLeastYen")} width="w-28" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Checkbox
          name="contactChangeBeforeTopUp"
          checked={values.contactChangeBeforeTopUp}
          points={SIGNAL_POINTS.contactChangeBeforeTopUp}
        />
        <NumberField name="contactHours" value={values.contactHours} label={t("builder.withinHours")} />
      </div>
    </fieldset>
  );
}

export default function CohortBuilder() {
  const { values, errors, preview, stores, incidents, submissionKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const shownErrors = actionData?.errors ?? errors;
  const { t } = useTranslation("cohorts");
  const language = usePageLanguage();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/cohorts">
            {t("builder.back")}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{t("builder.title")}</h1>
        <p className="text-sm text-slate-600">{t("builder.intro", { days: MAX_WINDOW_DAYS })}</p>
      </div>

      <Form method="get" className="card space-y-4" data-testid="cohort-builder">
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="label">{t("builder.from")}</span>
            <JstDateTimeInput name="from" defaultValue={values.from} />
          </label>
          <label className="text-sm">
            <span className="label">{t("builder.to")}</span>
            <JstDateTimeInput name="to" defaultValue={values.to} />
          </label>
          <label className="text-sm">
            <span className="label">{t("builder.mustShow")}</span>
            <select name="match" defaultValue={values.match} className="input mt-1">
              <option value="all">{t("builder.matchAll")}</option>
              <option value="any">{t("builder.matchAny")}</option>
            </select>
          </label>
          <label className="text-sm">
            <span className="label">{t("builder.minScore")}</span>
            <input name="minScore" defaultValue={values.minScore} inputMode="numeric" className="input mt-1 w-24" />
          </label>
        </div>
        <SignalFields values={values} />
        <label className="block text-sm">
          <span className="label">{t("builder.boughtAt")}</span>
          <select name="storeId" multiple defaultValue={values.storeIds} className="input mt-1 h-28">
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name} ({s.area})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? t("builder.searching") : t("builder.preview")}
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
            {t("builder.total", {
              count: preview.total,
              total: formatCount(preview.total, language),
              limited: preview.total > PREVIEW_LIMIT ? t("builder.limited", { limit: PREVIEW_LIMIT }) : "",
            })}
          </p>
          {preview.total > 0 ? (
            <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="save-cohort">
              {[...new URLSearchParams(builderQuery(values))].map(([key, value], k) => (
                <input key={`${key}-${k}`} type="hidden" name={key} value={value} />
              ))}
              <input type="hidden" name="submissionKey" value={submissionKey} />
              <label className="text-sm">
                <span className="label">{t("builder.name")}</span>
                <input
                  name="name"
                  required
                  maxLength={120}
                  className="input mt-1 w-72"
                  placeholder={t("builder.namePlaceholder")}
                />
              </label>
              <label className="text-sm">
                <span className="label">{t("builder.incident")}</span>
                <select name="incidentId" className="input mt-1">
                  {incidents.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.code}
                    </option>
                  ))}
                  <option value="">{t("builder.noIncident")}</option>
                </select>
              </label>
              <button type="submit" className="btn-primary" disabled={busy}>
                {t("builder.save")}
              </button>
              <span className="text-xs text-slate-500">{t("builder.saveNote")}</span>
            </Form>
          ) : null}
          <ScoredAccountsTable
            rows={preview.matches}
            rowTestId="cohort-match"
            headings={{ score: t("builder.score"), account: t("builder.account"), reasons: t("builder.reasons") }}
          />
        </section>
      ) : null}
    </div>
  );
}

// The definition's own messages are keys (cohorts:validation.*); the window's limit is given to the one that names it,
// and a signal's field its label.
function builderErrors(language: Language | undefined, errors: string[]): string[] {
  return errors.map((message) => {
    const field = readMessageKey(message)?.values.field;
    const isField = typeof field === "string" && (SIGNAL_FIELDS as readonly string[]).includes(field);
    const label = isField ? translateMessage(language, `cohorts:builder.field.${field}`) : undefined;
    return translateMessage(language, message, { days: MAX_WINDOW_DAYS, ...(label ? { label } : {}) });
  });
}
