// The account view's forms. Each posts an `intent` (and a `formKey` naming the form instance) to the page's action and
// shows its own errors; the server parses again with the same schemas (app/accounts/account-forms.ts).
import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import {
  CaseAssignFields,
  CaseOpenFields,
  CaseTransitionFields,
  NoteFields,
  StatusChangeFields,
} from "~/accounts/account-forms";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { formProps, inputProps, selectProps, textareaProps } from "~/components/form-controls";

export type LastResult = SubmissionResult<string[]> | undefined;

// Labels for the values the server offers; an unknown value is shown as it is.
function useLabel() {
  const { t, i18n } = useTranslation("accounts");
  return (key: string, value: string) => (i18n.exists(`accounts:${key}`) ? t(key as never) : value);
}

function Submit({
  children,
  formKey,
  tone = "primary",
}: {
  children: string;
  formKey: string;
  tone?: "primary" | "danger" | "secondary";
}) {
  const { t } = useTranslation("accounts");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("formKey") === formKey;
  const className = tone === "danger" ? "btn-danger" : tone === "secondary" ? "btn-secondary" : "btn-primary";
  return (
    <button type="submit" className={className} disabled={busy}>
      {busy ? t("form.working") : children}
    </button>
  );
}

function useAccountForm<Schema extends z.ZodTypeAny>(formKey: string, schema: Schema, lastResult: LastResult) {
  return useForm<z.input<Schema>>({
    id: formKey,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

export function StatusForm({
  changes,
  submissionKey,
  lastResult,
  reopenWaitsForReset = false,
}: {
  changes: string[];
  submissionKey?: string;
  lastResult: LastResult;
  /** Unfreezing or restoring waits for a forced reset sent since the account was contained (ADR 122). */
  reopenWaitsForReset?: boolean;
}) {
  const formKey = "status";
  const { t } = useTranslation("accounts");
  const label = useLabel();
  const [form, fields] = useAccountForm(formKey, StatusChangeFields, lastResult);
  if (changes.length === 0) return <p className="text-sm text-slate-600">{t("form.noStatusChange")}</p>;
  return (
    <Form method="post" {...formProps(form)} className="space-y-2" data-testid="status-form">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="formKey" value={formKey} />
      <SubmissionKeyInput value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      {reopenWaitsForReset ? (
        <p className="text-sm text-amber-800" data-testid="reopen-waits-for-reset">
          {t("form.reopenWaitsForReset")}
        </p>
      ) : null}
      {/* The action column is as wide as its longest label: a third of a narrow card cut "Freeze the wallet" short.
          From 1,024 px the card is a third of the page, too narrow for both side by side (the reason field was left
          a few characters wide): the reason goes under the action there. */}
      <div className="grid gap-2 sm:grid-cols-[max-content_minmax(0,1fr)] lg:grid-cols-1">
        <div>
          <label className="label" htmlFor={fields.change.id}>
            {t("form.action")}
          </label>
          <select className="input mt-1 pr-10" {...selectProps(fields.change)} defaultValue={changes[0]}>
            {changes.map((change) => (
              <option key={change} value={change}>
                {label(`form.statusChange.${change}`, change)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor={fields.reason.id}>
            {t("form.reasonAudited")}
          </label>
          <input className="input mt-1" {...inputProps(fields.reason, { type: "text" })} maxLength={500} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>
      </div>
      <Submit formKey={formKey} tone="danger">
        {t("form.apply")}
      </Submit>
    </Form>
  );
}

/** The form's one-time key from the page's loader (ADR 105): a double click or a resent post acts once. */
function SubmissionKeyInput({ value }: { value: string | undefined }) {
  return value ? <input type="hidden" name="submissionKey" value={value} /> : null;
}

export function NoteForm({
  cases,
  submissionKey,
  lastResult,
}: {
  cases: { id: string; incidentCode: string }[];
  submissionKey?: string;
  lastResult: LastResult;
}) {
  const formKey = "note";
  const { t } = useTranslation("accounts");
  const [form, fields] = useAccountForm(formKey, NoteFields, lastResult);
  return (
    <Form method="post" {...formProps(form)} className="space-y-2" data-testid="note-form">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="formKey" value={formKey} />
      <SubmissionKeyInput value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <label className="label" htmlFor={fields.body.id}>
        {t("form.addNoteLabel")}
      </label>
      <textarea className="input" rows={3} maxLength={4000} {...textareaProps(fields.body)} />
      <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      {cases.length > 0 ? (
        <div>
          <label className="label" htmlFor={fields.caseId.id}>
            {t("form.about")}
          </label>
          <select className="input mt-1" {...selectProps(fields.caseId)}>
            <option value="">{t("form.accountInGeneral")}</option>
            {cases.map((c) => (
              <option key={c.id} value={c.id}>
                {t("form.aboutCase", { code: c.incidentCode })}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <Submit formKey={formKey} tone="secondary">
        {t("form.addNote")}
      </Submit>
    </Form>
  );
}

export function CaseTransitionForm({
  caseId,
  from,
  to,
  submissionKey,
  lastResult,
}: {
  caseId: string;
  from: string;
  to: string;
  submissionKey?: string;
  lastResult: LastResult;
}) {
  const formKey = `case-transition-${caseId}-${to}`;
  const { t } = useTranslation("accounts");
  const label = useLabel();
  const [form, fields] = useAccountForm(formKey, CaseTransitionFields, lastResult);
  return (
    <Form method="post" {...formProps(form)} className="flex flex-wrap items-start gap-2" data-testid={`case-to-${to}`}>
      <input type="hidden" name="intent" value="case-transition" />
      <input type="hidden" name="formKey" value={formKey} />
      <SubmissionKeyInput value={submissionKey} />
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <div className="min-w-64 flex-1">
        <label className="sr-only" htmlFor={fields.reason.id}>
          {t("form.auditNote")}
        </label>
        <input
          className="input"
          placeholder={to === "OPEN" ? t("form.whyReopen") : t("form.auditNoteOptional")}
          maxLength={500}
          {...inputProps(fields.reason, { type: "text" })}
        />
        <FormErrors id={form.errorId} errors={form.errors} />
        <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <Submit formKey={formKey}>{label(`form.caseTo.${to}`, to)}</Submit>
    </Form>
  );
}

export function CaseAssignForm({
  caseId,
  assigneeId,
  assignees,
  submissionKey,
  lastResult,
}: {
  caseId: string;
  assigneeId: string | null;
  assignees: { id: string; name: string; role: string }[];
  submissionKey?: string;
  lastResult: LastResult;
}) {
  const formKey = `case-assign-${caseId}`;
  const { t } = useTranslation("accounts");
  const roleLabel = useLabel();
  const [form, fields] = useAccountForm(formKey, CaseAssignFields, lastResult);
  return (
    <Form method="post" {...formProps(form)} className="flex flex-wrap items-end gap-2" data-testid="case-assign-form">
      <input type="hidden" name="intent" value="case-assign" />
      <input type="hidden" name="formKey" value={formKey} />
      <SubmissionKeyInput value={submissionKey} />
      <input type="hidden" name="caseId" value={caseId} />
      <div>
        <label className="label" htmlFor={fields.assigneeId.id}>
          {t("form.assignee")}
        </label>
        <select className="input mt-1" {...selectProps(fields.assigneeId)} defaultValue={assigneeId ?? ""}>
          <option value="">{t("form.unassigned")}</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({roleLabel(`form.role.${a.role}`, a.role.toLowerCase())})
            </option>
          ))}
        </select>
        <FormErrors id={form.errorId} errors={form.errors} />
      </div>
      <Submit formKey={formKey} tone="secondary">
        {t("form.assign")}
      </Submit>
    </Form>
  );
}

export function CaseOpenForm({
  incidents,
  submissionKey,
  lastResult,
}: {
  incidents: { id: string; code: string; title: string }[];
  submissionKey?: string;
  lastResult: LastResult;
}) {
  const formKey = "case-open";
  const { t } = useTranslation("accounts");
  const [form, fields] = useAccountForm(formKey, CaseOpenFields, lastResult);
  if (incidents.length === 0) return null;
  return (
    <Form method="post" {...formProps(form)} className="flex flex-wrap items-end gap-2" data-testid="case-open-form">
      <input type="hidden" name="intent" value="case-open" />
      <input type="hidden" name="formKey" value={formKey} />
      <SubmissionKeyInput value={submissionKey} />
      <div>
        <label className="label" htmlFor={fields.incidentId.id}>
          {t("form.openIn")}
        </label>
        <select className="input mt-1" {...selectProps(fields.incidentId)}>
          {incidents.map((i) => (
            <option key={i.id} value={i.id}>
              {i.code} — {i.title}
            </option>
          ))}
        </select>
        <FormErrors id={form.errorId} errors={form.errors} />
      </div>
      <div className="min-w-64 flex-1">
        <label className="label" htmlFor={fields.reason.id}>
          {t("form.whyOptional")}
        </label>
        <input className="input mt-1" maxLength={500} {...inputProps(fields.reason, { type: "text" })} />
      </div>
      <Submit formKey={formKey} tone="secondary">
        {t("form.openCase")}
      </Submit>
    </Form>
  );
}
