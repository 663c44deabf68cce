// The forms of the recovery page. Each posts an `intent` to the page's action and shows its own errors; the server
// parses again with the same schemas (app/recovery/schemas.ts) and the domain services decide.
import { formatContact } from "~/accounts/masking";
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { formatJst } from "~/lib/format";
import {
  ConfirmContactFields,
  ForceResetFields,
  IdentityCheckFields,
  RestoreContactFields,
  SendRecoveryCodeFields,
  VerifyRecoveryCodeFields,
} from "~/recovery/schemas";
import type { HistoryRow } from "~/recovery/recovery-view.server";
import { MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE } from "~/recovery/reset-budget";

type LastResult = SubmissionResult<string[]> | undefined;

function Submit({
  children,
  tone = "primary",
  intent,
}: {
  children: string;
  tone?: "primary" | "danger";
  intent: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <button
      type="submit"
      name="intent"
      value={intent}
      className={tone === "danger" ? "btn-danger" : "btn-primary"}
      disabled={busy}
    >
      {children}
    </button>
  );
}

function ReasonField({ field }: { field: Parameters<typeof getTextareaProps>[0] }) {
  const { t } = useTranslation("recovery");
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {t("reason")}
      </label>
      <textarea className="input mt-1" rows={2} {...getTextareaProps(field)} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function IdentityCheckForm({
  lastResult,
  factsAsOf,
  submissionKey,
}: {
  lastResult: LastResult;
  factsAsOf: Date;
  submissionKey: string;
}) {
  const { t } = useTranslation("recovery");
  const language = usePageLanguage();
  const [form, fields] = useForm({
    id: "identity-check",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: IdentityCheckFields }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" autoComplete="off">
      <input type="hidden" name="formKey" value="identity-check" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <p className="text-sm text-slate-600">{t("identity.intro", { at: formatJst(factsAsOf, language) })}</p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label className="label" htmlFor={fields.birthDate.id}>
            {t("identity.birthDate")}
          </label>
          <input className="input mt-1" {...getInputProps(fields.birthDate, { type: "date" })} />
          <FieldErrors id={fields.birthDate.errorId} errors={fields.birthDate.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.lastTopUpYen.id}>
            {t("identity.lastTopUp")}
          </label>
          <input className="input mt-1" inputMode="numeric" {...getInputProps(fields.lastTopUpYen, { type: "text" })} />
          <FieldErrors id={fields.lastTopUpYen.errorId} errors={fields.lastTopUpYen.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.cardLast4.id}>
            {t("identity.cardLast4")}
          </label>
          <input
            className="input mt-1"
            inputMode="numeric"
            maxLength={4}
            {...getInputProps(fields.cardLast4, { type: "text" })}
          />
          <FieldErrors id={fields.cardLast4.errorId} errors={fields.cardLast4.errors} />
        </div>
      </div>
      <Submit intent="identity-check">{t("identity.submit")}</Submit>
    </Form>
  );
}

export function RestoreForm({
  lastResult,
  field,
  candidates,
  current,
  hasUsableCheck,
  submissionKey,
}: {
  lastResult: LastResult;
  submissionKey: string;
  field: "EMAIL" | "PHONE";
  candidates: HistoryRow[];
  current: string;
  hasUsableCheck: boolean;
}) {
  const [form, fields] = useForm({
    id: `restore-${field}`,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RestoreContactFields }),
  });
  const { t } = useTranslation("recovery");
  const language = usePageLanguage();
  if (candidates.length === 0) {
    return <p className="text-sm text-slate-600">{t(`restore.none.${field}`)}</p>;
  }
  const suggested = candidates.find((c) => c.suggested) ?? candidates[0]!;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" data-testid={`restore-${field.toLowerCase()}`}>
      <input type="hidden" name="formKey" value={`restore-${field}`} />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      {!hasUsableCheck ? <p className="text-sm text-amber-800">{t("restore.needCheck")}</p> : null}
      <fieldset className="space-y-2">
        <legend className="label">{t(`restore.legend.${field}`)}</legend>
        {candidates.map((change) => (
          <label key={change.id} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name={fields.contactChangeId.name}
              value={change.id}
              defaultChecked={change.id === suggested.id}
              className="mt-1"
            />
            <span>
              <strong className="break-all">{formatContact(field, change.oldValue)}</strong>{" "}
              {t("restore.beforeChange", { at: formatJst(change.changedAt, language) })}
              {change.suggested ? t("restore.lastKnownGood") : ""}
            </span>
          </label>
        ))}
        <FieldErrors id={fields.contactChangeId.errorId} errors={fields.contactChangeId.errors} />
      </fieldset>
      {/* What the agent saw as current: the restore is refused if it changed meanwhile. */}
      <input type="hidden" name={fields.expectedCurrent.name} value={current} />
      <ReasonField field={fields.reason} />
      <Submit intent="restore">{t(`restore.submit.${field}`)}</Submit>
    </Form>
  );
}

export function SendCodeForm({
  lastResult,
  knownGood,
  submissionKey,
}: {
  lastResult: LastResult;
  submissionKey: string;
  knownGood: { EMAIL: string | null; PHONE: string | null };
}) {
  const [form, fields] = useForm({
    id: "send-code",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SendRecoveryCodeFields }),
  });
  const { t } = useTranslation("recovery");
  if (!knownGood.EMAIL && !knownGood.PHONE) {
    return <p className="text-sm text-amber-800">{t("code.noKnownGood")}</p>;
  }
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2" data-testid="send-code">
      <input type="hidden" name="formKey" value="send-code" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <input type="hidden" name="intent" value="send-code" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="flex flex-wrap gap-2">
        {knownGood.EMAIL ? (
          <button type="submit" name={fields.channel.name} value="EMAIL" className="btn-primary">
            {t("code.sendByEmail", { to: knownGood.EMAIL })}
          </button>
        ) : null}
        {knownGood.PHONE ? (
          <button type="submit" name={fields.channel.name} value="PHONE" className="btn-primary">
            {t("code.sendBySms", { to: knownGood.PHONE })}
          </button>
        ) : null}
      </div>
    </Form>
  );
}

export function VerifyCodeForm({ lastResult, submissionKey }: { lastResult: LastResult; submissionKey: string }) {
  const { t } = useTranslation("recovery");
  const [form, fields] = useForm({
    id: "verify-code",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: VerifyRecoveryCodeFields }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2" autoComplete="off" data-testid="verify-code">
      <input type="hidden" name="formKey" value="verify-code" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <label className="label" htmlFor={fields.code.id}>
        {t("code.label")}
      </label>
      <input
        className="input mt-1 max-w-[12rem]"
        inputMode="numeric"
        {...getInputProps(fields.code, { type: "text" })}
        key={fields.code.key}
      />
      <FieldErrors id={fields.code.errorId} errors={fields.code.errors} />
      <Submit intent="verify-code">{t("code.verify")}</Submit>
    </Form>
  );
}

export function KeepContactForm({
  lastResult,
  currentEmail,
  submissionKey,
}: {
  lastResult: LastResult;
  currentEmail: string;
  submissionKey: string;
}) {
  const { t } = useTranslation("recovery");
  const [form, fields] = useForm({
    id: "keep",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ConfirmContactFields }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <p className="text-sm text-slate-600">
        {t("keep.intro")} <strong className="break-all">{currentEmail}</strong>.
      </p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="formKey" value="keep" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      <input type="hidden" name={fields.field.name} value="EMAIL" />
      <input type="hidden" name={fields.expectedCurrent.name} value={currentEmail} />
      <ReasonField field={fields.reason} />
      <Submit intent="keep">{t("keep.submit")}</Submit>
    </Form>
  );
}

export function ForceResetForm({
  lastResult,
  destination,
  submissionKey,
  suspectAuthenticatorSince,
  returnToCharge,
  needsCode = false,
}: {
  lastResult: LastResult;
  destination: string;
  submissionKey: string;
  /** This member reset many other customers this hour (ADR 104): a fresh code first, then the form. */
  needsCode?: boolean;
  /** The charge whose refund sent the agent here: they go back to it once the link is sent. */
  returnToCharge: string | null;
  /** When the authenticator on file was enrolled, if inside the suspect window (it may be the attacker's). */
  suspectAuthenticatorSince: string | null;
}) {
  const { t } = useTranslation("recovery");
  const location = useLocation();
  const [form, fields] = useForm({
    id: "force-reset",
    lastResult,
    // Proposed, not imposed: the agent may know the caller enrolled it themselves.
    defaultValue: suspectAuthenticatorSince ? { requireTwoFactor: "on" } : undefined,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForceResetFields }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <input type="hidden" name="formKey" value="force-reset" />
      <input type="hidden" name="submissionKey" value={submissionKey} />
      {returnToCharge ? <input type="hidden" name="returnToCharge" value={returnToCharge} /> : null}
      <p className="text-sm text-slate-600" data-testid="reset-destination">
        {destination}
      </p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <label className="flex items-center gap-2 text-sm">
        <input {...getInputProps(fields.requireTwoFactor, { type: "checkbox" })} />
        {t("reset.requireTwoFactor")}
      </label>
      {suspectAuthenticatorSince ? (
        <p className="text-sm text-amber-800" data-testid="suspect-authenticator">
          {t("reset.suspectAuthenticator", { at: suspectAuthenticatorSince })}
        </p>
      ) : null}
      <ReasonField field={fields.reason} />
      {needsCode ? (
        <StepUpNotice
          returnTo={`${location.pathname}${returnToCharge ? `?charge=${returnToCharge}` : ""}`}
          what={t("reset.stepUpWhat", { count: MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE })}
        />
      ) : (
        <Submit intent="force-reset" tone="danger">
          {t("reset.submit")}
        </Submit>
      )}
    </Form>
  );
}
