// The account view's forms. Each posts an `intent` (and a `formKey` naming the form instance) to the page's action and
// shows its own errors; the server parses again with the same schemas (app/accounts/account-forms.ts).
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import {
  CaseAssignFields,
  CaseOpenFields,
  CaseTransitionFields,
  NoteFields,
  StatusChangeFields,
} from "~/accounts/account-forms";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";

export type LastResult = SubmissionResult<string[]> | undefined;

const STATUS_CHANGE_LABELS: Record<string, string> = {
  freeze: "Freeze the wallet",
  unfreeze: "Unfreeze the wallet",
  "mark-compromised": "Mark compromised",
  restore: "Restore to active",
};

const CASE_STATUS_LABELS: Record<string, string> = {
  OPEN: "Reopen",
  CONTAINED: "Mark contained",
  REMEDIATED: "Mark remediated",
  NOTIFIED: "Mark notified",
  CLOSED: "Close the case",
};

function Submit({
  children,
  formKey,
  tone = "primary",
}: {
  children: string;
  formKey: string;
  tone?: "primary" | "danger" | "secondary";
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("formKey") === formKey;
  const className = tone === "danger" ? "btn-danger" : tone === "secondary" ? "btn-secondary" : "btn-primary";
  return (
    <button type="submit" className={className} disabled={busy}>
      {busy ? "Working…" : children}
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

export function StatusForm({ changes, lastResult }: { changes: string[]; lastResult: LastResult }) {
  const formKey = "status";
  const [form, fields] = useAccountForm(formKey, StatusChangeFields, lastResult);
  if (changes.length === 0) return <p className="text-sm text-slate-600">The wallet status cannot be changed here.</p>;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2" data-testid="status-form">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="formKey" value={formKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      {/* The action column is as wide as its longest label: a third of a narrow card cut "Freeze the wallet" short. */}
      <div className="grid gap-2 sm:grid-cols-[max-content_minmax(0,1fr)]">
        <div>
          <label className="label" htmlFor={fields.change.id}>
            Action
          </label>
          <select className="input mt-1 pr-10" {...getSelectProps(fields.change)} defaultValue={changes[0]}>
            {changes.map((change) => (
              <option key={change} value={change}>
                {STATUS_CHANGE_LABELS[change] ?? change}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor={fields.reason.id}>
            Reason (recorded in the audit trail)
          </label>
          <input className="input mt-1" {...getInputProps(fields.reason, { type: "text" })} maxLength={500} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>
      </div>
      <Submit formKey={formKey} tone="danger">
        Apply
      </Submit>
    </Form>
  );
}

export function NoteForm({
  cases,
  lastResult,
}: {
  cases: { id: string; incidentCode: string }[];
  lastResult: LastResult;
}) {
  const formKey = "note";
  const [form, fields] = useAccountForm(formKey, NoteFields, lastResult);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2" data-testid="note-form">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="formKey" value={formKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <label className="label" htmlFor={fields.body.id}>
        Add a note
      </label>
      <textarea className="input" rows={3} maxLength={4000} {...getTextareaProps(fields.body)} />
      <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      {cases.length > 0 ? (
        <div>
          <label className="label" htmlFor={fields.caseId.id}>
            About
          </label>
          <select className="input mt-1" {...getSelectProps(fields.caseId)}>
            <option value="">The account in general</option>
            {cases.map((c) => (
              <option key={c.id} value={c.id}>
                The {c.incidentCode} case
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <Submit formKey={formKey} tone="secondary">
        Add note
      </Submit>
    </Form>
  );
}

export function CaseTransitionForm({
  caseId,
  from,
  to,
  lastResult,
}: {
  caseId: string;
  from: string;
  to: string;
  lastResult: LastResult;
}) {
  const formKey = `case-transition-${caseId}-${to}`;
  const [form, fields] = useAccountForm(formKey, CaseTransitionFields, lastResult);
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="flex flex-wrap items-start gap-2"
      data-testid={`case-to-${to}`}
    >
      <input type="hidden" name="intent" value="case-transition" />
      <input type="hidden" name="formKey" value={formKey} />
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <div className="min-w-64 flex-1">
        <label className="sr-only" htmlFor={fields.reason.id}>
          Note for the audit trail
        </label>
        <input
          className="input"
          placeholder={to === "OPEN" ? "Why reopen? (required)" : "Note for the audit trail (optional)"}
          maxLength={500}
          {...getInputProps(fields.reason, { type: "text" })}
        />
        <FormErrors id={form.errorId} errors={form.errors} />
        <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <Submit formKey={formKey}>{CASE_STATUS_LABELS[to] ?? to}</Submit>
    </Form>
  );
}

export function CaseAssignForm({
  caseId,
  assigneeId,
  assignees,
  lastResult,
}: {
  caseId: string;
  assigneeId: string | null;
  assignees: { id: string; name: string; role: string }[];
  lastResult: LastResult;
}) {
  const formKey = `case-assign-${caseId}`;
  const [form, fields] = useAccountForm(formKey, CaseAssignFields, lastResult);
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="flex flex-wrap items-end gap-2"
      data-testid="case-assign-form"
    >
      <input type="hidden" name="intent" value="case-assign" />
      <input type="hidden" name="formKey" value={formKey} />
      <input type="hidden" name="caseId" value={caseId} />
      <div>
        <label className="label" htmlFor={fields.assigneeId.id}>
          Assignee
        </label>
        <select className="input mt-1" {...getSelectProps(fields.assigneeId)} defaultValue={assigneeId ?? ""}>
          <option value="">Unassigned</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.role.toLowerCase().replace("_", " ")})
            </option>
          ))}
        </select>
        <FormErrors id={form.errorId} errors={form.errors} />
      </div>
      <Submit formKey={formKey} tone="secondary">
        Assign
      </Submit>
    </Form>
  );
}

export function CaseOpenForm({
  incidents,
  lastResult,
}: {
  incidents: { id: string; code: string; title: string }[];
  lastResult: LastResult;
}) {
  const formKey = "case-open";
  const [form, fields] = useAccountForm(formKey, CaseOpenFields, lastResult);
  if (incidents.length === 0) return null;
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-2" data-testid="case-open-form">
      <input type="hidden" name="intent" value="case-open" />
      <input type="hidden" name="formKey" value={formKey} />
      <div>
        <label className="label" htmlFor={fields.incidentId.id}>
          Open a case in
        </label>
        <select className="input mt-1" {...getSelectProps(fields.incidentId)}>
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
          Why (optional)
        </label>
        <input className="input mt-1" maxLength={500} {...getInputProps(fields.reason, { type: "text" })} />
      </div>
      <Submit formKey={formKey} tone="secondary">
        Open case
      </Submit>
    </Form>
  );
}
