// One small form of the switch board. Several share the page's action, so each has an id and only shows the answer
// addressed to it. There is no client-side validation on purpose: every attempt reaches the server, where the rules
// live and refusals are audited.
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import { displayJstInput } from "~/lib/jst-date-time";
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { boardFormId } from "~/killswitch/schemas";

export interface BoardFormFields {
  reason?: string;
  comment?: string;
  releaseAt?: string;
}

export type BoardActionData = { formId: string; result: SubmissionResult<string[]> } | undefined;

type Fields = ReturnType<typeof useForm<BoardFormFields>>[1];

export function BoardForm({
  id,
  intent,
  hidden,
  actionData,
  children,
  className = "space-y-3",
}: {
  id: string;
  intent: string;
  hidden: Record<string, string>;
  actionData: BoardActionData;
  children: (fields: Fields, busy: boolean) => React.ReactNode;
  className?: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<BoardFormFields>({
    id,
    lastResult: actionData?.formId === id ? actionData.result : undefined,
  });
  const busy = navigation.state !== "idle" && navigation.formData?.get("formId") === id;
  return (
    <Form method="post" {...getFormProps(form)} className={className} data-testid={`form-${id}`}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="formId" value={id} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormErrors id={form.errorId} errors={form.errors as string[] | undefined} />
      {children(fields, busy)}
    </Form>
  );
}

/**
 * A refusal whose form the board no longer shows, said above the switches instead. After a refusal the page reads the
 * board again (revalidateAfterRefusal), and when the refusal was the news that the switch or the request had changed
 * meanwhile (engaged by another lead, a release already decided), the form it answered is gone with the old state.
 * `board` is the loader data the forms are drawn from: the check runs again each time it is read.
 */
export function UnplacedRefusal({ actionData, board }: { actionData: BoardActionData; board: unknown }) {
  const [errors, setErrors] = useState<string[] | undefined>();
  useEffect(() => {
    const formErrors = actionData?.result.error?.[""] ?? undefined;
    const placed = actionData !== undefined && document.getElementById(actionData.formId) !== null;
    setErrors(placed ? undefined : formErrors);
  }, [actionData, board]);
  return <FormErrors errors={errors} />;
}

export function ReasonField({
  field,
  label,
  placeholder,
  optional = false,
}: {
  field: Fields["reason"] | Fields["comment"];
  label: string;
  placeholder?: string;
  optional?: boolean;
}) {
  const { t } = useTranslation("killswitch");
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {label} {optional ? <span className="font-normal text-slate-500">{t("form.optional")}</span> : null}
      </label>
      <textarea
        {...getTextareaProps(field)}
        rows={2}
        className="input mt-1"
        placeholder={placeholder}
        maxLength={1000}
      />
      <FieldErrors id={field.errorId} errors={field.errors as string[] | undefined} />
    </div>
  );
}

export function ReleaseAtField({ field, min, max }: { field: Fields["releaseAt"]; min: string; max: string }) {
  const { t } = useTranslation("killswitch");
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {t("form.releaseAt")} <span className="font-normal text-slate-500">{t("form.optional")}</span>
      </label>
      <JstDateTimeInput
        {...getInputProps(field, { type: "text" })}
        defaultValue={typeof field.initialValue === "string" ? field.initialValue : ""}
        aria-describedby={`${field.id}-window`}
      />
      <p id={`${field.id}-window`} className="mt-1 text-xs text-slate-500">
        {displayJstInput(min)} – {displayJstInput(max)}
      </p>
      <p className="mt-1 text-xs text-slate-500">{t("form.releaseAtHint")}</p>
      <FieldErrors id={field.errorId} errors={field.errors as string[] | undefined} />
    </div>
  );
}

const BUTTON_CLASS = { primary: "btn-primary", secondary: "btn-secondary", danger: "btn-danger" } as const;

/**
 * The board's usual form: one thing asked in words (a reason; for an approval, an optional note) and one button.
 * `extra` adds fields between the two (the engage form's automatic release).
 */
export function ReasonForm({
  intent,
  hidden,
  actionData,
  label,
  placeholder,
  button,
  tone = "secondary",
  note = false,
  extra,
}: {
  intent: string;
  /** What it acts on: a release request, or a switch. Also names the form (boardFormId). */
  hidden: { requestId: string } | { key: string };
  actionData: BoardActionData;
  label: string;
  placeholder?: string;
  button: string;
  tone?: keyof typeof BUTTON_CLASS;
  note?: boolean;
  extra?: (fields: Fields) => React.ReactNode;
}) {
  const subject = "requestId" in hidden ? hidden.requestId : hidden.key;
  return (
    <BoardForm id={boardFormId(intent, subject)} intent={intent} hidden={hidden} actionData={actionData}>
      {(fields, busy) => (
        <>
          <ReasonField
            field={note ? fields.comment : fields.reason}
            label={label}
            placeholder={placeholder}
            optional={note}
          />
          {extra?.(fields)}
          <button type="submit" className={BUTTON_CLASS[tone]} disabled={busy}>
            {button}
          </button>
        </>
      )}
    </BoardForm>
  );
}
